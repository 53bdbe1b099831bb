import { Field, Float, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiKeySpendQuery } from '@sah/infrastructure';
import { ApiKeyObject } from '../../identity/graphql/api-key.object';
import { BudgetClock } from '../application/budget-clock';

@ObjectType('ApiKeyMonthlySpend', { description: "What an API key's calls took this calendar month (UTC), in credits" })
export class ApiKeyMonthlySpendObject {
  @Field({ description: 'The month, YYYY-MM (UTC)' }) month!: string;
  @Field(() => Float, { description: 'Charged for finished calls' }) spent!: number;
  @Field(() => Float, { description: 'Held by calls still in flight; counts against the budget until they finish' }) held!: number;
}

/**
 * Billing adds the month's spend to identity's ApiKey: the ledger keeps it, per key and month, where
 * holds are taken. Only the keys of a monthly budget are counted (a key without one reads zero).
 * The parent key is already the caller's own (apiKeys is scoped to its owner).
 */
@Resolver(() => ApiKeyObject)
export class ApiKeySpendResolver {
  constructor(
    private readonly spend: ApiKeySpendQuery,
    private readonly clock: BudgetClock,
  ) {}

  @ResolveField(() => ApiKeyMonthlySpendObject, { description: "The current month's spend, against monthlyCreditBudget" })
  async monthlySpend(@Parent() key: ApiKeyObject): Promise<ApiKeyMonthlySpendObject> {
    const month = this.clock.month();
    const { spent, held } = await this.spend.month(key.id, month);
    return Object.assign(new ApiKeyMonthlySpendObject(), { month: month.slice(0, 7), spent: spent.toNumber(), held: held.toNumber() });
  }
}
