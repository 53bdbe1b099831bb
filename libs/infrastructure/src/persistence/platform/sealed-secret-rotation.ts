import { DataSource } from 'typeorm';
import { SecretBox } from '../../crypto/secret-box';

/** A SecretBox value spread over three columns. */
type SealedColumns = readonly [ciphertext: string, iv: string, authTag: string];

/** Every table holding SecretBox values: provider keys, TOTP secrets, webhook signing secrets. */
const SEALED_SECRETS: ReadonlyArray<{ table: string; key: string; secrets: readonly SealedColumns[] }> = [
  { table: 'ai_provider_key', key: 'id', secrets: [['ciphertext', 'iv', 'auth_tag']] },
  { table: 'identity_two_factor', key: 'user_id', secrets: [['secret_ciphertext', 'secret_iv', 'secret_auth_tag']] },
  {
    table: 'webhook_endpoint',
    key: 'id',
    secrets: [
      ['secret_ciphertext', 'secret_iv', 'secret_auth_tag'],
      ['previous_secret_ciphertext', 'previous_secret_iv', 'previous_secret_auth_tag'],
    ],
  },
];

/**
 * Re-seals SecretBox values an older key sealed with the current key, one short transaction per
 * batch. These values carry no key id, so each is opened to learn which key sealed it (the tables are
 * small: keys and endpoints, one factor per user). A value the app rewrites meanwhile is locked by
 * the batch or sealed under the current key already.
 */
export class SealedSecretRotation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly batchSize = 200,
  ) {}

  /** Values re-sealed, per table. */
  async run(): Promise<Record<string, number>> {
    const rotated: Record<string, number> = {};
    for (const { table, key, secrets } of SEALED_SECRETS) {
      rotated[table] = 0;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const batch = await this.dataSource.transaction(async (manager) => {
          const columns = secrets.flat().join(', ');
          const rows = (await manager.query(`SELECT ${key} AS key, ${columns} FROM ${table} WHERE ${key} > $1 ORDER BY ${key} LIMIT $2 FOR UPDATE`, [
            after,
            this.batchSize,
          ])) as Array<Record<string, Buffer | null> & { key: string }>;
          let resealed = 0;
          for (const row of rows) {
            for (const [ciphertext, iv, authTag] of secrets) {
              const sealed = { ciphertext: row[ciphertext], iv: row[iv], authTag: row[authTag] };
              if (!sealed.ciphertext || !sealed.iv || !sealed.authTag) continue;
              const opened = this.box.openWithKey({ ciphertext: sealed.ciphertext, iv: sealed.iv, authTag: sealed.authTag });
              if (!opened.stale) continue;
              const fresh = this.box.seal(opened.plaintext);
              await manager.query(`UPDATE ${table} SET ${ciphertext} = $2, ${iv} = $3, ${authTag} = $4 WHERE ${key} = $1`, [
                row.key,
                fresh.ciphertext,
                fresh.iv,
                fresh.authTag,
              ]);
              resealed++;
            }
          }
          return { last: rows.at(-1)?.key, resealed, full: rows.length === this.batchSize };
        });
        rotated[table] += batch.resealed;
        if (!batch.full || !batch.last) break;
        after = batch.last;
      }
    }
    return rotated;
  }
}
