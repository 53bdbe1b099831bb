import { DomainError, PromoCodeTerms } from '@sah/domain';
import { DataSource } from 'typeorm';
import { violatedConstraint } from '../../constraint-violation';
import { PromoCodeRecord, PromoCodeRow, toPromoCode } from './promo-code.rows';

export interface PromoCodeFilter {
  active?: boolean;
  /** Part of the code, any case. */
  search?: string;
}

export interface PromoCodePage {
  items: PromoCodeRecord[];
  total: number;
}

/** Promo codes as admins manage them. Redemptions have their own repository. */
export class PromoCodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(terms: PromoCodeTerms, createdBy: string): Promise<PromoCodeRecord> {
    try {
      const rows = (await this.dataSource.query(
        `INSERT INTO promo_code (code, credits, max_uses, expires_at, credits_valid_days, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [terms.code, terms.credits.millis.toString(), terms.maxUses, terms.expiresAt, terms.creditsValidDays, createdBy],
      )) as PromoCodeRow[];
      return toPromoCode(rows[0]!);
    } catch (error) {
      if (violatedConstraint(error) === 'uq_promo_code_code') {
        throw new DomainError('CONFLICT', `The promo code ${terms.code} already exists`, { field: 'code' });
      }
      throw error;
    }
  }

  async findById(id: string): Promise<PromoCodeRecord | null> {
    const rows = (await this.dataSource.query(`SELECT * FROM promo_code WHERE id = $1`, [id])) as PromoCodeRow[];
    return rows[0] ? toPromoCode(rows[0]) : null;
  }

  /** Newest first. */
  async list(filter: PromoCodeFilter, page: { offset: number; limit: number }): Promise<PromoCodePage> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.active !== undefined) {
      params.push(filter.active);
      conditions.push(`active = $${params.length}`);
    }
    if (filter.search) {
      // position() rather than LIKE: `_` is a legal code character and a LIKE wildcard.
      params.push(filter.search.toUpperCase());
      conditions.push(`position($${params.length} in code) > 0`);
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT * FROM promo_code ${where} ORDER BY created_at DESC, id DESC OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
        [...params, page.offset, page.limit],
      ) as Promise<PromoCodeRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM promo_code ${where}`, params) as Promise<Array<{ total: number }>>,
    ]);
    return { items: rows.map(toPromoCode), total: count[0]!.total };
  }

  /** Stops further redemptions; `changed` is false when the code was already inactive. */
  async deactivate(id: string): Promise<{ code: PromoCodeRecord; changed: boolean }> {
    const rows = (await this.dataSource.query(
      `UPDATE promo_code SET active = false, deactivated_at = now() WHERE id = $1 AND active RETURNING *`,
      [id],
    )) as [PromoCodeRow[], number];
    const updated = rows[0][0];
    if (updated) return { code: toPromoCode(updated), changed: true };
    const code = await this.findById(id);
    if (!code) throw DomainError.notFound('Promo code', { id });
    return { code, changed: false };
  }
}
