import { TwoFactor, TwoFactorRepository } from '@sah/domain';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../crypto/secret-box';

interface TwoFactorRow {
  user_id: string;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_auth_tag: Buffer;
  enabled_at: Date | null;
  last_used_step: string | null;
  created_at: Date;
}

/** Second factors in PostgreSQL; the TOTP secret is sealed with the platform's encryption key. */
export class TypeOrmTwoFactorRepository extends TwoFactorRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {
    super();
  }

  async find(userId: string): Promise<TwoFactor | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM identity_two_factor WHERE user_id = $1`, [
      userId,
    ])) as TwoFactorRow[];
    const row = rows[0];
    if (!row) return null;
    return TwoFactor.restore({
      userId: row.user_id,
      secret: this.box.open({
        ciphertext: row.secret_ciphertext,
        iv: row.secret_iv,
        authTag: row.secret_auth_tag,
      }),
      enabledAt: row.enabled_at,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
      createdAt: row.created_at,
    });
  }

  async savePending(factor: TwoFactor): Promise<void> {
    const state = factor.snapshot;
    const sealed = this.box.seal(state.secret);
    const rows = (await this.dataSource.query(
      `INSERT INTO identity_two_factor (user_id, secret_ciphertext, secret_iv, secret_auth_tag, created_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE
         SET secret_ciphertext = EXCLUDED.secret_ciphertext, secret_iv = EXCLUDED.secret_iv,
             secret_auth_tag = EXCLUDED.secret_auth_tag, created_at = EXCLUDED.created_at, last_used_step = NULL
         WHERE identity_two_factor.enabled_at IS NULL
       RETURNING user_id`,
      [state.userId, sealed.ciphertext, sealed.iv, sealed.authTag, state.createdAt],
    )) as unknown[];
    if (rows.length === 0)
      throw new Error(`two-factor of ${state.userId} is enabled: not replaced by a pending one`);
  }

  async recordAccepted(factor: TwoFactor, previousStep: number | null): Promise<boolean> {
    const state = factor.snapshot;
    // Compare-and-set on the step: of two requests with the same code, exactly one gets through.
    const rows = (await this.dataSource.query(
      `UPDATE identity_two_factor SET last_used_step = $2, enabled_at = COALESCE(enabled_at, $3)
       WHERE user_id = $1 AND last_used_step IS NOT DISTINCT FROM $4
       RETURNING user_id`,
      [state.userId, state.lastUsedStep, state.enabledAt, previousStep],
    )) as [unknown[], number];
    return rows[1] === 1;
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM identity_recovery_code WHERE user_id = $1`, [userId]);
      await manager.query(
        `INSERT INTO identity_recovery_code (user_id, code_hash, created_at) SELECT $1, unnest($2::text[]), now()`,
        [userId, codeHashes],
      );
    });
  }

  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const result = (await this.dataSource.query(
      `UPDATE identity_recovery_code SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, codeHash],
    )) as [unknown[], number];
    return result[1] === 1;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM identity_recovery_code WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  async remove(userId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM identity_recovery_code WHERE user_id = $1`, [userId]);
      const result = (await manager.query(`DELETE FROM identity_two_factor WHERE user_id = $1`, [
        userId,
      ])) as [unknown[], number];
      return result[1] === 1;
    });
  }
}
