import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '@sah/domain';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { CreditTransactionObject } from '../graphql/credit-transaction.object';
import { CreditStatementInput } from './billing-admin.inputs';
import { CreditStatementObject } from './billing-admin.objects';
import { CreditStatements } from './credit-statements.handler';

const MAX_LINES = 1000;

@Resolver(() => CreditStatementObject)
export class CreditStatementsResolver {
  constructor(private readonly statements: CreditStatements) {}

  @Query(() => CreditStatementObject, { description: 'A monthly statement: yours, a user’s or a team’s (within your reach)' })
  @RequirePermission('credits:read')
  async creditStatement(@CurrentPrincipal() principal: Principal, @Args('input') input: CreditStatementInput): Promise<CreditStatementObject> {
    return CreditStatementObject.from(await this.statements.statement(principal, input));
  }

  @ResolveField(() => [CreditTransactionObject], {
    description: `The month's transactions, oldest first (at most ${MAX_LINES}; the CSV statement has them all)`,
  })
  async lines(
    @Parent() statement: CreditStatementObject,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 200 }) limit: number,
  ): Promise<CreditTransactionObject[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LINES) {
      throw DomainError.badInput(`limit must be between 1 and ${MAX_LINES}`, { field: 'limit' });
    }
    const lines: CreditTransactionObject[] = [];
    for await (const transaction of this.statements.lines(statement.statement, limit)) lines.push(CreditTransactionObject.from(transaction));
    return lines;
  }
}
