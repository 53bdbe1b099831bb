import { DataSource } from 'typeorm';
import { SecretBox } from '../../crypto/secret-box';

/** An endpoint as it leaves the repository: never its secrets. */
export interface WebhookEndpointInfo {
  id: string;
  ownerId: string | null;
  platformWide: boolean;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What delivery needs: where, and the secrets that sign (the current one first). */
export interface WebhookEndpointTarget extends WebhookEndpointInfo {
  secrets: string[];
}

/** An endpoint's row, secrets still sealed (`open` makes it a target). */
export interface EndpointRow {
  id: string;
  owner_id: string | null;
  platform_wide: boolean;
  url: string;
  description: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_auth_tag: Buffer;
  previous_secret_ciphertext: Buffer | null;
  previous_secret_iv: Buffer | null;
  previous_secret_auth_tag: Buffer | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Who may see what: `null` is everyone's (admins); otherwise the owner's endpoints only. */
export type EndpointScope = { ownerId: string | null };

const info = (row: EndpointRow): WebhookEndpointInfo => ({
  id: row.id,
  ownerId: row.owner_id,
  platformWide: row.platform_wide,
  url: row.url,
  description: row.description,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  failingSince: row.failing_since,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** Partners' webhook endpoints; secrets sealed with the app's key like provider keys. */
export class WebhookEndpointRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  async create(input: {
    ownerId: string | null;
    platformWide: boolean;
    url: string;
    description: string;
    eventTypes: string[];
    secret: string;
    createdBy: string;
  }): Promise<WebhookEndpointInfo> {
    const sealed = this.box.seal(input.secret);
    const rows = (await this.dataSource.query(
      `INSERT INTO webhook_endpoint (owner_id, platform_wide, url, description, event_types, secret_ciphertext, secret_iv,
                                     secret_auth_tag, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        input.ownerId,
        input.platformWide,
        input.url,
        input.description,
        input.eventTypes,
        sealed.ciphertext,
        sealed.iv,
        sealed.authTag,
        input.createdBy,
      ],
    )) as EndpointRow[];
    return info(rows[0] as EndpointRow);
  }

  async list(scope: EndpointScope): Promise<WebhookEndpointInfo[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM webhook_endpoint WHERE ($1::uuid IS NULL OR owner_id = $1) ORDER BY created_at, id`,
      [scope.ownerId],
    )) as EndpointRow[];
    return rows.map(info);
  }

  async find(id: string, scope: EndpointScope): Promise<WebhookEndpointInfo | null> {
    if (!isUuid(id)) return null;
    const rows = (await this.dataSource.query(
      `SELECT * FROM webhook_endpoint WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)`,
      [id, scope.ownerId],
    )) as EndpointRow[];
    return rows[0] ? info(rows[0]) : null;
  }

  /** The row with its secrets unsealed: the current one, and the previous one until it expires. */
  open(row: EndpointRow, now: Date): WebhookEndpointTarget {
    const secrets = [
      this.box.open({ ciphertext: row.secret_ciphertext, iv: row.secret_iv, authTag: row.secret_auth_tag }),
    ];
    if (
      row.previous_secret_ciphertext &&
      row.previous_secret_iv &&
      row.previous_secret_auth_tag &&
      row.previous_secret_expires_at &&
      row.previous_secret_expires_at > now
    ) {
      secrets.push(
        this.box.open({
          ciphertext: row.previous_secret_ciphertext,
          iv: row.previous_secret_iv,
          authTag: row.previous_secret_auth_tag,
        }),
      );
    }
    return { ...info(row), secrets };
  }

  async update(
    id: string,
    scope: EndpointScope,
    changes: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean },
  ): Promise<WebhookEndpointInfo | null> {
    if (!isUuid(id)) return null;
    const rows = (await this.dataSource.query(
      `UPDATE webhook_endpoint
          SET url = COALESCE($3, url), description = COALESCE($4, description), event_types = COALESCE($5, event_types),
              enabled = COALESCE($6, enabled),
              -- Re-enabling clears why it was disabled and starts its failure clock afresh.
              disabled_reason = CASE WHEN $6 IS TRUE THEN NULL ELSE disabled_reason END,
              failing_since = CASE WHEN $6 IS TRUE THEN NULL ELSE failing_since END,
              updated_at = now()
        WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2) RETURNING *`,
      [
        id,
        scope.ownerId,
        changes.url ?? null,
        changes.description ?? null,
        changes.eventTypes ?? null,
        changes.enabled ?? null,
      ],
    )) as [EndpointRow[], number];
    return rows[0][0] ? info(rows[0][0]) : null;
  }

  /** The current secret becomes the previous one, still signing until `previousExpiresAt`. */
  async rotateSecret(
    id: string,
    scope: EndpointScope,
    secret: string,
    previousExpiresAt: Date,
  ): Promise<WebhookEndpointInfo | null> {
    if (!isUuid(id)) return null;
    const sealed = this.box.seal(secret);
    const rows = (await this.dataSource.query(
      `UPDATE webhook_endpoint
          SET previous_secret_ciphertext = secret_ciphertext, previous_secret_iv = secret_iv,
              previous_secret_auth_tag = secret_auth_tag, previous_secret_expires_at = $6,
              secret_ciphertext = $3, secret_iv = $4, secret_auth_tag = $5, updated_at = now()
        WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2) RETURNING *`,
      [id, scope.ownerId, sealed.ciphertext, sealed.iv, sealed.authTag, previousExpiresAt],
    )) as [EndpointRow[], number];
    return rows[0][0] ? info(rows[0][0]) : null;
  }

  async remove(id: string, scope: EndpointScope): Promise<boolean> {
    if (!isUuid(id)) return false;
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM webhook_endpoint WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)`,
      [id, scope.ownerId],
    )) as [unknown, number];
    return deleted > 0;
  }

  /**
   * Disables an enabled endpoint and, in the same statement, stores `webhooks.endpoint_disabled` in
   * the outbox so its owner (or, platform-wide, its creator) is mailed once.
   */
  async disable(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `WITH disabled AS (
         UPDATE webhook_endpoint SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled
         RETURNING id, coalesce(owner_id, created_by) AS user_id, url)
       INSERT INTO outbox_event (type, payload, occurred_at)
       SELECT 'webhooks.endpoint_disabled', jsonb_build_object('userId', user_id, 'endpointId', id, 'url', url, 'reason', $2::text), now()
         FROM disabled`,
      [id, reason],
    );
  }

  /** Starts the failure clock if it is not running; returns when it started. */
  async markFailing(id: string, now: Date): Promise<Date> {
    const rows = (await this.dataSource.query(
      `UPDATE webhook_endpoint SET failing_since = COALESCE(failing_since, $2) WHERE id = $1 RETURNING failing_since`,
      [id, now],
    )) as [Array<{ failing_since: Date }>, number];
    return rows[0][0]?.failing_since ?? now;
  }
}
