import { Args, ID, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ANY_API_KEY_SCOPE, ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { PageInfoObject } from '../../identity/graphql/user.object';
import { BalanceChange, BalanceChanges } from '../application/balance-changes';
import { CreditViews } from '../application/credit-views.service';
import { Credits } from '@sah/domain';
import { CreditBalanceObject } from './credit-balance.object';
import { CreditForecastObject } from './credit-forecast.object';
import { CreditTransactionObject, CreditTransactionPageObject } from './credit-transaction.object';
import { CreditTransactionsFilterInput } from './credits.inputs';
import { pageWindow } from './paging';

@Resolver()
export class CreditsResolver {
  constructor(
    private readonly views: CreditViews,
    private readonly balanceChanges: BalanceChanges,
  ) {}

  @Query(() => CreditBalanceObject, { description: 'Your balance, or (admins, managers for their teams) a user’s' })
  @RequirePermission('credits:read')
  @ApiKeyScope('credits.read')
  async creditBalance(
    @CurrentPrincipal() principal: Principal,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string,
  ): Promise<CreditBalanceObject> {
    const account = await this.views.balance(principal, userId ?? undefined);
    return CreditBalanceObject.of(account.userId, account.balance, account.reserved);
  }

  @Query(() => CreditTransactionPageObject, { description: 'Newest first' })
  @RequirePermission('credits:read')
  @ApiKeyScope('credits.read')
  async creditTransactions(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => CreditTransactionsFilterInput, nullable: true }) filter?: CreditTransactionsFilterInput,
  ): Promise<CreditTransactionPageObject> {
    const { page, perPage, offset, limit } = pageWindow(filter);
    const result = await this.views.transactions(
      principal,
      { userId: filter?.userId, allUsers: filter?.allUsers, types: filter?.types, from: filter?.from, to: filter?.to },
      { offset, limit },
    );
    return { items: result.items.map(CreditTransactionObject.from), pageInfo: PageInfoObject.of(page, perPage, result.total) };
  }

  @Query(() => CreditForecastObject, { description: 'Days until the balance runs out at the last 30 days’ rate' })
  @RequirePermission('credits:read')
  @ApiKeyScope('credits.read')
  creditForecast(
    @CurrentPrincipal() principal: Principal,
    @Args('userId', { type: () => ID, nullable: true }) userId?: string,
  ): Promise<CreditForecastObject> {
    return this.views.forecast(principal, userId ?? undefined);
  }

  @Subscription(() => CreditBalanceObject, {
    description: 'Your balance, each time it changes',
    resolve: (change: BalanceChange) =>
      CreditBalanceObject.of(change.userId, Credits.fromMillis(change.balanceMillis), Credits.fromMillis(change.reservedMillis)),
  })
  @RequirePermission('credits:read')
  @ApiKeyScope(ANY_API_KEY_SCOPE)
  creditBalanceChanged(@CurrentPrincipal() principal: Principal): Promise<AsyncIterableIterator<BalanceChange>> {
    return this.balanceChanges.changesOf(principal.userId);
  }
}
