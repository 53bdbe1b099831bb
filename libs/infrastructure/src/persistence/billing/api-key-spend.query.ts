import { Credits } from '@sah/domain';
import { DataSource } from 'typeorm';

/** What an API key's budgeted calls took in one calendar month: captured, and held by calls in flight. */
export interface ApiKeyMonthSpend {
  spent: Credits;
  held: Credits;
}

/** Reads `api_key_monthly_spend`, which the ledger keeps in step with the key's holds. */
export class ApiKeySpendQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** `month` as the ledger stores it (`YYYY-MM-01`); a month without budgeted calls is zero. */
  async month(apiKeyId: string, month: string): Promise<ApiKeyMonthSpend> {
    const rows = (await this.dataSource.query(
      `SELECT spent::text AS spent, reserved::text AS reserved FROM api_key_monthly_spend WHERE api_key_id = $1 AND month = $2`,
      [apiKeyId, month],
    )) as Array<{ spent: string; reserved: string }>;
    const row = rows[0];
    return row ? { spent: Credits.fromMillis(row.spent), held: Credits.fromMillis(row.reserved) } : { spent: Credits.ZERO, held: Credits.ZERO };
  }
}
