import type { ProviderName } from '@sah/domain';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../crypto/secret-box';

/** What leaves the repository about a key: never the key itself, only its last four characters. */
export interface ProviderKeyInfo {
  id: string;
  provider: ProviderName;
  /** The channel the key belongs to. */
  channelId: string;
  label: string;
  last4: string;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
}

interface ProviderKeyRow {
  id: string;
  provider: ProviderName;
  channel_id: string;
  label: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  last4: string;
  enabled: boolean;
  created_by: string;
  created_at: Date;
}

const info = (row: ProviderKeyRow): ProviderKeyInfo => ({
  id: row.id,
  provider: row.provider,
  channelId: row.channel_id,
  label: row.label,
  last4: row.last4,
  enabled: row.enabled,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Provider credentials managed by admins, encrypted at rest. */
export class ProviderKeyRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  /** A key of the given channel, else of the provider's configured channel. */
  async add(provider: ProviderName, label: string, secret: string, createdBy: string, channelId?: string): Promise<ProviderKeyInfo> {
    const sealed = this.box.seal(secret);
    const rows = (await this.dataSource.query(
      `INSERT INTO ai_provider_key (provider, label, ciphertext, iv, auth_tag, last4, created_by, channel_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               COALESCE($8::uuid, (SELECT id FROM ai_channel WHERE protocol = $1 AND base_url IS NULL))) RETURNING *`,
      [provider, label, sealed.ciphertext, sealed.iv, sealed.authTag, secret.slice(-4), createdBy, channelId ?? null],
    )) as ProviderKeyRow[];
    return info(rows[0] as ProviderKeyRow);
  }

  async list(): Promise<ProviderKeyInfo[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM ai_provider_key ORDER BY provider, created_at`)) as ProviderKeyRow[];
    return rows.map(info);
  }

  /** Decrypted, for the gateway only; `configuredChannel`: the key is its provider's configured channel's. */
  async enabledSecrets(): Promise<Array<{ id: string; provider: ProviderName; channelId: string; configuredChannel: boolean; secret: string }>> {
    const rows = (await this.dataSource.query(
      `SELECT k.*, c.base_url IS NULL AS configured_channel FROM ai_provider_key k JOIN ai_channel c ON c.id = k.channel_id
       WHERE k.enabled ORDER BY k.created_at`,
    )) as Array<ProviderKeyRow & { configured_channel: boolean }>;
    return rows.map((row) => ({
      id: row.id,
      provider: row.provider,
      channelId: row.channel_id,
      configuredChannel: row.configured_channel,
      secret: this.box.open({ ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag }),
    }));
  }

  async setEnabled(id: string, enabled: boolean): Promise<ProviderKeyInfo | null> {
    const [rows] = (await this.dataSource.query(`UPDATE ai_provider_key SET enabled = $2 WHERE id = $1 RETURNING *`, [id, enabled])) as [
      ProviderKeyRow[],
      number,
    ];
    return rows[0] ? info(rows[0]) : null;
  }

  async remove(id: string): Promise<boolean> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM ai_provider_key WHERE id = $1`, [id])) as [unknown, number];
    return deleted > 0;
  }
}
