import { Injectable } from '@nestjs/common';
import { DomainError, parseStatementMonth, StatementMonth, UserRepository } from '@sah/domain';
import { LedgerReportsQuery, LedgerTransaction, StatementFigures } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { CreditScope } from './credit-scope';

export interface StatementRequest {
  userId?: string;
  teamId?: string;
  /** `YYYY-MM` */
  month: string;
}

export interface CreditStatement extends StatementMonth, StatementFigures {
  userId: string | null;
  teamId: string | null;
  /** The accounts summed up: the user, or the team's members. */
  userIds: string[];
}

/**
 * Monthly statements of one user (yourself by default; managers their team members; admins anyone)
 * or of a team (its members summed; managers the teams they manage; admins any team).
 */
@Injectable()
export class CreditStatements {
  constructor(
    private readonly reports: LedgerReportsQuery,
    private readonly scope: CreditScope,
    private readonly users: UserRepository,
  ) {}

  async statement(principal: Principal, request: StatementRequest): Promise<CreditStatement> {
    if (request.userId && request.teamId) throw DomainError.badInput('Ask for a user or a team, not both', { field: 'teamId' });
    const period = parseStatementMonth(request.month);
    let userIds: string[];
    if (request.teamId) {
      userIds = await this.scope.teamMemberIds(principal, request.teamId);
    } else {
      const userId = request.userId ?? principal.userId;
      await this.scope.assertMaySee(principal, userId);
      // Administrators see anyone: an id that names nobody would otherwise get an empty statement.
      if (!(await this.users.findById(userId))) throw DomainError.notFound('User', { userId });
      userIds = [userId];
    }
    const figures = await this.reports.statement(userIds, period.from, period.to);
    return {
      ...period,
      ...figures,
      userId: request.teamId ? null : userIds[0]!,
      teamId: request.teamId ?? null,
      userIds,
    };
  }

  /** The statement's transactions, oldest first. */
  lines(statement: CreditStatement, limit?: number): AsyncGenerator<LedgerTransaction> {
    const filter = { userIds: statement.userIds, from: statement.from, to: statement.to };
    return limited(this.reports.transactions(filter, 'oldest', Math.min(limit ?? 500, 500)), limit);
  }
}

async function* limited<T>(items: AsyncGenerator<T>, limit = Number.POSITIVE_INFINITY): AsyncGenerator<T> {
  let count = 0;
  for await (const item of items) {
    if (count++ >= limit) return;
    yield item;
  }
}
