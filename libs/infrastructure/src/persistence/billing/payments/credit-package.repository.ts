import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';
import { CreditPackage, CreditPackageRow, toCreditPackage } from './payment.rows';

export interface CreditPackageChanges {
  name?: string;
  credits?: Credits;
  priceCents?: number;
  active?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The packages on sale; admins edit them, checkouts copy them. */
export class CreditPackageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Cheapest first. */
  async list(options: { includeInactive: boolean }): Promise<CreditPackage[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM credit_package ${options.includeInactive ? '' : 'WHERE active'} ORDER BY price_cents, code`,
    )) as CreditPackageRow[];
    return rows.map(toCreditPackage);
  }

  /** By code (any case) or by id. */
  async find(reference: string): Promise<CreditPackage | null> {
    const rows = (await this.dataSource.query(
      UUID.test(reference)
        ? `SELECT * FROM credit_package WHERE id = $1`
        : `SELECT * FROM credit_package WHERE code = lower($1)`,
      [reference],
    )) as CreditPackageRow[];
    return rows[0] ? toCreditPackage(rows[0]) : null;
  }

  /** Applies the given changes; null when there is no such package. */
  async update(id: string, changes: CreditPackageChanges): Promise<CreditPackage | null> {
    if (!UUID.test(id)) return null;
    const rows = (await this.dataSource.query(
      `UPDATE credit_package
          SET name = coalesce($2, name), credits = coalesce($3, credits), price_cents = coalesce($4, price_cents),
              active = coalesce($5, active), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [
        id,
        changes.name ?? null,
        changes.credits?.millis.toString() ?? null,
        changes.priceCents ?? null,
        changes.active ?? null,
      ],
    )) as [CreditPackageRow[], number];
    return rows[0][0] ? toCreditPackage(rows[0][0]) : null;
  }
}
