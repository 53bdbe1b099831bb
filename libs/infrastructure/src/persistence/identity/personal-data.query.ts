import { DataSource } from 'typeorm';

/**
 * What the identity context holds about one user besides the profile, for their GDPR export:
 * never a secret (no key hash, token hash or password hash).
 */
export class PersonalDataQuery {
  constructor(private readonly dataSource: DataSource) {}

  teams(userId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT t.id, t.name, m.role, m.added_at AS "addedAt" FROM identity_team_member m
         JOIN identity_team t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY m.added_at`,
      [userId],
    );
  }

  apiKeys(userId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, name, prefix, scopes, created_at AS "createdAt", expires_at AS "expiresAt",
              last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", suspended_at AS "suspendedAt"
         FROM identity_api_key WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
  }

  /** Sign-in sessions (refresh-token families): when each began and was last renewed, and on what device. */
  sessions(userId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT family_id AS id, min(created_at) AS "startedAt", max(created_at) AS "lastRenewedAt",
              max(revoked_at) AS "endedAt", min(device) AS device
         FROM identity_refresh_token WHERE user_id = $1 GROUP BY family_id ORDER BY 2`,
      [userId],
    );
  }

  /**
   * Entries the user made or that are about them. Who else acted (an administrator) and from which
   * address is that person's data, not the user's: only the user's own actions carry actor and IP.
   */
  auditEntries(userId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id::text, occurred_at AS "occurredAt", (actor_id = $1) AS "byYou",
              CASE WHEN actor_id = $1 THEN actor_id END AS "actorId", action, target_type AS "targetType",
              target_id AS "targetId", CASE WHEN actor_id = $1 THEN ip END AS ip, details
         FROM identity_audit_log WHERE actor_id = $1 OR (target_type = 'user' AND target_id = $1::text)
        ORDER BY occurred_at, id`,
      [userId],
    );
  }
}
