import { Injectable, OnModuleInit } from '@nestjs/common';
import { LedgerReportsQuery } from '@sah/infrastructure';
import { PersonalData } from '../../identity/data-export/personal-data';

/** The user's ledger history, oldest first, for their GDPR export. */
@Injectable()
export class LedgerPersonalData implements OnModuleInit {
  constructor(
    private readonly sections: PersonalData,
    private readonly reports: LedgerReportsQuery,
  ) {}

  onModuleInit(): void {
    this.sections.register('creditTransactions', async (userId) => {
      const transactions = [];
      for await (const t of this.reports.transactions({ userIds: [userId] }, 'oldest')) {
        transactions.push({
          id: t.id,
          type: t.type,
          amount: t.amount.toNumber(),
          balanceAfter: t.balanceAfter.toNumber(),
          reason: t.reason,
          createdAt: t.createdAt,
        });
      }
      return transactions;
    });
  }
}
