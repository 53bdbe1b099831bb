import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { TransactionType } from '@sah/domain';
import type { TeamWalletEntry } from '@sah/infrastructure';
import GraphQLJSON from 'graphql-type-json';
import { PageInfoObject } from '../../identity/graphql/user.object';
import { CreditTransactionType } from '../graphql/credit-transaction.object';

@ObjectType('TeamMemberBudget', { description: "A member's limits on the team wallet and what they used (captured plus still held), UTC periods" })
export class TeamMemberBudgetObject {
  @Field(() => ID) userId!: string;
  @Field(() => Float, { nullable: true, description: 'Credits per day; null: no limit' }) dailyCredits!: number | null;
  @Field(() => Float, { nullable: true, description: 'Credits per calendar month; null: no limit' }) monthlyCredits!: number | null;
  @Field(() => Float) usedToday!: number;
  @Field(() => Float) usedThisMonth!: number;
}

@ObjectType('TeamWallet', { description: "A team's credit account; credits as numbers with up to 3 decimals" })
export class TeamWalletObject {
  @Field(() => ID) teamId!: string;
  @Field(() => Float) balance!: number;
  @Field(() => Float, { description: 'Held for members’ calls under way' }) reserved!: number;
  @Field(() => Float) available!: number;
  @Field(() => Float, { nullable: true, description: "The wallet's spending cap per calendar month (UTC); null: none" }) monthlyCap!: number | null;
  @Field(() => Float, { description: 'Spent or held this month by all members' }) usedThisMonth!: number;
  @Field(() => [Int], { description: 'Percentages of the monthly cap that each alert the managers once a month (mail and webhook)' })
  budgetAlertThresholds!: number[];
  @Field({ description: "True when the team set its own thresholds; false: the platform's default" }) budgetAlertThresholdsCustom!: boolean;
  @Field(() => [TeamMemberBudgetObject]) members!: TeamMemberBudgetObject[];
}

@ObjectType('TeamWalletTransaction', { description: 'One movement of a team wallet, as the wallet saw it' })
export class TeamWalletTransactionObject {
  @Field(() => ID) id!: string;
  @Field(() => CreditTransactionType) type!: TransactionType;
  @Field(() => Float, { description: 'Signed effect on the wallet' }) amount!: number;
  @Field(() => Float) balanceAfter!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true, description: 'Who acted: the admin who adjusted, the member who transferred or spent' })
  actorId!: string | null;
  @Field(() => GraphQLJSON) metadata!: Record<string, unknown>;
  @Field() createdAt!: Date;

  static from(entry: TeamWalletEntry): TeamWalletTransactionObject {
    return Object.assign(new TeamWalletTransactionObject(), {
      id: entry.transactionId,
      type: entry.type,
      amount: entry.amount.toNumber(),
      balanceAfter: entry.balanceAfter.toNumber(),
      reason: entry.reason,
      actorId: entry.actorId,
      metadata: entry.metadata,
      createdAt: entry.createdAt,
    });
  }
}

@ObjectType('TeamWalletTransactionPage')
export class TeamWalletTransactionPageObject {
  @Field(() => [TeamWalletTransactionObject]) items!: TeamWalletTransactionObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}

@ObjectType('TeamWalletTransfer')
export class TeamWalletTransferObject {
  @Field(() => ID, { description: 'The one ledger transaction that moved the credits' }) transactionId!: string;
  @Field(() => TeamWalletObject) wallet!: TeamWalletObject;
  @Field({ description: 'True when this idempotency key had already done the work' }) replayed!: boolean;
}
