import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { DomainError, isTransactionType, TransactionType } from '@sah/domain';
import { LedgerReportsQuery, LedgerTransaction } from '@sah/infrastructure';
import type { Response } from 'express';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { CreditScope } from './credit-scope';
import { StatementCsvQuery, TransactionsCsvQuery } from './credit-reports.dto';
import { CreditStatements } from './credit-statements.handler';
import { CsvCell, sendCsv } from '../../../platform/http/csv-writer';

const TRANSACTION_COLUMNS = ['created_at', 'id', 'user_id', 'type', 'amount', 'balance_after', 'reason', 'actor_id', 'reverses_id', 'metadata'];

/**
 * CSV downloads for finance: transactions (filtered) and monthly statements. What each caller gets
 * follows the ledger's read scope: administrators everyone, managers their teams, users themselves.
 */
@Controller('api/v1/credits')
export class CreditReportsController {
  constructor(
    private readonly reports: LedgerReportsQuery,
    private readonly scope: CreditScope,
    private readonly statements: CreditStatements,
  ) {}

  /** Newest first. Rows committed while the download runs are not in it. */
  @Get('transactions.csv')
  @RequirePermission('credits:read')
  async transactions(@CurrentPrincipal() principal: Principal, @Query() query: TransactionsCsvQuery, @Res() res: Response): Promise<void> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : new Date();
    if (from && from >= to) throw DomainError.badInput('from must be before to', { field: 'from' });
    let userIds: string[] | undefined;
    if (query.userId) {
      await this.scope.assertMaySee(principal, query.userId);
      userIds = [query.userId];
    } else {
      userIds = (await this.scope.visibleUserIds(principal)) ?? undefined;
    }
    const transactions = this.reports.transactions({ userIds, types: parseTypes(query.type), from, to });
    await sendCsv(res, `credit-transactions-${stamp(new Date())}.csv`, withHeader(TRANSACTION_COLUMNS, transactions));
  }

  /** A summary block (opening, closing, totals by type), a blank line, then the month's transactions oldest first. */
  @Get('statements/:month.csv')
  @RequirePermission('credits:read')
  async statement(
    @CurrentPrincipal() principal: Principal,
    @Param('month') month: string,
    @Query() query: StatementCsvQuery,
    @Res() res: Response,
  ): Promise<void> {
    const statement = await this.statements.statement(principal, { month, userId: query.userId, teamId: query.teamId });
    const subject = statement.teamId ? `team-${statement.teamId}` : `user-${statement.userId}`;
    const summary: CsvCell[][] = [
      ['statement', statement.month],
      statement.teamId ? ['team_id', statement.teamId] : ['user_id', statement.userId],
      ['from', statement.from.toISOString()],
      ['to', statement.to.toISOString()],
      ['opening_balance', statement.openingBalance.toNumber()],
      ...statement.totalsByType.map((total) => [`total_${total.type}`, total.amount.toNumber()]),
      ['closing_balance', statement.closingBalance.toNumber()],
      ['transaction_count', statement.transactionCount],
      [],
    ];
    await sendCsv(res, `credit-statement-${statement.month}-${subject}.csv`, concat(summary, withHeader(TRANSACTION_COLUMNS, this.statements.lines(statement))));
  }
}

function parseTypes(text: string | undefined): TransactionType[] | undefined {
  if (!text) return undefined;
  const types = text.split(',').map((type) => type.trim().toLowerCase());
  const unknown = types.filter((type) => !isTransactionType(type));
  if (unknown.length > 0) throw DomainError.badInput(`Unknown transaction type: ${unknown.join(', ')}`, { field: 'type' });
  return types as TransactionType[];
}

function transactionCells(transaction: LedgerTransaction): CsvCell[] {
  return [
    transaction.createdAt.toISOString(),
    transaction.id,
    transaction.userId,
    transaction.type,
    transaction.amount.toNumber(),
    transaction.balanceAfter.toNumber(),
    transaction.reason,
    transaction.actorId,
    transaction.reversesId,
    Object.keys(transaction.metadata).length > 0 ? JSON.stringify(transaction.metadata) : null,
  ];
}

async function* withHeader(header: string[], transactions: AsyncIterable<LedgerTransaction>): AsyncGenerator<CsvCell[]> {
  yield header;
  for await (const transaction of transactions) yield transactionCells(transaction);
}

async function* concat<T>(first: Iterable<T>, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield* first;
  yield* rest;
}

/** `20250131T120000Z`: sortable and safe in a file name. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}
