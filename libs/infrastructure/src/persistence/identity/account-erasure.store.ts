import { DataSource } from 'typeorm';

/** Identity's tables in an account's erasure (GDPR): which accounts are due, and forgetting one. */
export class AccountErasureStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Accounts whose owner asked for deletion before `cutoff`, longest waiting first. */
  async dueBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM identity_user WHERE deletion_requested_at < $1 ORDER BY deletion_requested_at, id LIMIT $2`,
      [cutoff, limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the account row, and with it (by foreign key) its API keys, refresh tokens, second factor,
   * recovery codes, team memberships, exports and webhook endpoints; strips the address from what
   * stays under the id, now a pseudonym: the audit entries it acted in (and their IPs) or was the
   * subject of, and the registration event (the one identity event that names the address). One transaction, so never half done. False when
   * the account is no longer due (its owner signed in meanwhile, or it is gone already).
   */
  async erase(userId: string, requestedBefore: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT id FROM identity_user WHERE id = $1 AND deletion_requested_at < $2 FOR UPDATE`,
        [userId, requestedBefore],
      )) as unknown[];
      if (due.length === 0) return false;
      // The audit log's trigger lets this transaction clear IPs and drop detail keys, nothing else.
      await manager.query(`SELECT set_config('sah.audit_log_erase_user', $1, true)`, [userId]);
      await manager.query(
        `UPDATE identity_audit_log SET ip = NULL, details = details - 'email' WHERE actor_id = $1`,
        [userId],
      );
      await manager.query(
        `UPDATE identity_audit_log SET details = details - 'email' WHERE target_type = 'user' AND target_id = $1 AND details ? 'email'`,
        [userId],
      );
      await manager.query(
        `UPDATE outbox_event SET payload = payload - 'email' WHERE type = 'identity.user_registered' AND payload ->> 'userId' = $1`,
        [userId],
      );
      await manager.query(`DELETE FROM identity_user WHERE id = $1`, [userId]);
      return true;
    });
  }
}
