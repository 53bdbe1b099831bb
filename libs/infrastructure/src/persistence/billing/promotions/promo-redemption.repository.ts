import { alreadyRedeemed, promoCodeNotFound, redemptionRefusal, redemptionRefused } from '@sah/domain';
import { DataSource } from 'typeorm';
import { inTransaction, SqlTransaction } from '../sql-transaction';
import {
  PromoCodeRecord,
  PromoCodeRow,
  PromoRedemptionRecord,
  PromoRedemptionRow,
  toPromoCode,
  toRedemption,
} from './promo-code.rows';

export interface Reservation {
  code: PromoCodeRecord;
  redemption: PromoRedemptionRecord;
}

/** A failed claim re-reads the code; only a concurrent claim rolling back can make that re-read disagree. */
const CLAIM_ATTEMPTS = 3;

/**
 * Redemption in two steps, because the ledger posts in a database transaction of its own: first a
 * use of the code is claimed and the redemption recorded (one transaction), then the credits are
 * granted under an idempotency key derived from (code, user), then the redemption is linked to that
 * grant. A redemption left unlinked by a crash is found and finished by the user's next attempt.
 */
export class PromoRedemptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims one use of the code for the user, or returns their earlier claim that never got its
   * credits. The claim is a conditional UPDATE: concurrent claims queue on the code's row and each
   * re-checks the limit against the committed count, so the counter never passes `max_uses`.
   */
  reserve(code: string, userId: string, now: Date): Promise<Reservation> {
    return inTransaction(this.dataSource, async (tx) => {
      const found = await tx.one<PromoCodeRow>(`SELECT * FROM promo_code WHERE code = $1`, [code]);
      if (!found) throw promoCodeNotFound();
      const earlier = await tx.one<PromoRedemptionRow>(
        `SELECT * FROM promo_redemption WHERE promo_code_id = $1 AND user_id = $2`,
        [found.id, userId],
      );
      if (earlier) {
        if (earlier.transaction_id) throw alreadyRedeemed();
        // Claimed while the code was valid: finishing it is owed, whatever the code's state now.
        return { code: toPromoCode(found), redemption: toRedemption(earlier) };
      }
      const claimed = await this.claim(tx, found.id, now);
      const inserted = await tx.one<PromoRedemptionRow>(
        `INSERT INTO promo_redemption (promo_code_id, user_id, redeemed_at) VALUES ($1, $2, $3)
         ON CONFLICT ON CONSTRAINT uq_promo_redemption_user DO NOTHING RETURNING *`,
        [found.id, userId, now],
      );
      // The same user's concurrent request got there first; rolling back returns the use we claimed.
      if (!inserted) throw alreadyRedeemed();
      return { code: claimed, redemption: toRedemption(inserted) };
    });
  }

  /** Redemptions claimed before `before` whose credits were never granted (a crash between the steps). */
  async unpaid(before: Date, limit: number): Promise<Array<{ code: string; userId: string }>> {
    const rows = (await this.dataSource.query(
      `SELECT c.code, r.user_id FROM promo_redemption r JOIN promo_code c ON c.id = r.promo_code_id
        WHERE r.transaction_id IS NULL AND r.redeemed_at < $1 ORDER BY r.redeemed_at LIMIT $2`,
      [before, limit],
    )) as Array<{ code: string; user_id: string }>;
    return rows.map((row) => ({ code: row.code, userId: row.user_id }));
  }

  /** Links the redemption to the grant that paid it. */
  async complete(redemptionId: string, transactionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE promo_redemption SET transaction_id = $2 WHERE id = $1 AND transaction_id IS NULL`,
      [redemptionId, transactionId],
    );
  }

  private async claim(tx: SqlTransaction, codeId: string, now: Date): Promise<PromoCodeRecord> {
    for (let attempt = 1; ; attempt++) {
      const claimed = await tx.one<PromoCodeRow>(
        `UPDATE promo_code SET uses = uses + 1
          WHERE id = $1 AND active AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)
          RETURNING *`,
        [codeId, now],
      );
      if (claimed) return toPromoCode(claimed);
      const current = await tx.one<PromoCodeRow>(`SELECT * FROM promo_code WHERE id = $1`, [codeId]);
      const refusal = redemptionRefusal(toPromoCode(current!), now);
      if (refusal) throw redemptionRefused(refusal);
      if (attempt === CLAIM_ATTEMPTS) throw redemptionRefused('exhausted');
    }
  }
}
