import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { AiProviderHealthObject } from '../../contexts/ai/graphql/provider-key.object';
import { CreditBalanceObject } from '../../contexts/billing/graphql/credit-balance.object';
import { CreditForecastObject } from '../../contexts/billing/graphql/credit-forecast.object';
import { CreditTransactionObject } from '../../contexts/billing/graphql/credit-transaction.object';

@ObjectType('DashboardSignUp')
export class DashboardSignUpObject {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field() role!: string;
  @Field() createdAt!: Date;
}

@ObjectType('DashboardUsers')
export class DashboardUsersObject {
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Created in the last 7 days' }) newThisWeek!: number;
  @Field(() => Int, { description: 'Signed in or renewed a session since 00:00 UTC' }) activeToday!: number;
  @Field(() => [DashboardSignUpObject], { description: 'Newest first' }) recentSignUps!: DashboardSignUpObject[];
}

@ObjectType('DashboardCreditDay', { description: 'One UTC day of credits, in credits' })
export class DashboardCreditDayObject {
  @Field({ description: 'YYYY-MM-DD (UTC)' }) day!: string;
  @Field(() => Float, { description: 'Bought with money (purchases)' }) sold!: number;
  @Field(() => Float, { description: 'Spent on services (AI calls, media jobs, partner deducts)' }) spent!: number;
  @Field(() => Float, { description: 'Held by users at the end of the day (now, for today)' }) outstanding!: number;
}

@ObjectType('DashboardCredits')
export class DashboardCreditsObject {
  @Field(() => Float, { description: 'Over the days of the chart' }) sold!: number;
  @Field(() => Float, { description: 'Over the days of the chart' }) spent!: number;
  @Field(() => Float, { description: 'Held by users now, reserved credits included' }) outstanding!: number;
  @Field(() => [DashboardCreditDayObject], { description: 'The last 30 UTC days, oldest first, today included' })
  daily!: DashboardCreditDayObject[];
}

@ObjectType('DashboardPackageRevenue')
export class DashboardPackageRevenueObject {
  @Field() packageCode!: string;
  @Field() packageName!: string;
  @Field({ description: 'ISO 4217, lower case' }) currency!: string;
  @Field({ description: 'Received less refunded, as a decimal string in the currency (e.g. "19.90")' }) amount!: string;
  @Field(() => Int) payments!: number;
}

@ObjectType('DashboardRevenue')
export class DashboardRevenueObject {
  @Field(() => Int) windowDays!: number;
  @Field(() => [DashboardPackageRevenueObject], { description: 'Largest first' }) byPackage!: DashboardPackageRevenueObject[];
  @Field({ description: 'Why there is no split by plan yet' }) note!: string;
}

@ObjectType('DashboardAiDay', { description: 'AI calls of one UTC day, every caller together' })
export class DashboardAiDayObject {
  @Field({ description: 'YYYY-MM-DD (UTC)' }) day!: string;
  @Field(() => Int) requests!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float, { description: 'errors / requests, 0 to 1 (0 without requests)' }) errorRate!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'In credits' }) credits!: number;
  @Field(() => Float, { nullable: true, description: 'Over successful calls; null without any' }) p95LatencyMs!: number | null;
}

@ObjectType('DashboardChannel', { description: 'Today’s calls through one entry point' })
export class DashboardChannelObject {
  @Field({ description: 'openai, anthropic, graphql, websocket or mcp' }) channel!: string;
  @Field(() => Int) requests!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) errorRate!: number;
}

@ObjectType('DashboardAi')
export class DashboardAiObject {
  @Field(() => DashboardAiDayObject, { description: 'Since 00:00 UTC' }) today!: DashboardAiDayObject;
  @Field(() => [DashboardAiDayObject], { description: 'The last 7 UTC days, oldest first, today included' }) daily!: DashboardAiDayObject[];
  @Field(() => [DashboardChannelObject]) channels!: DashboardChannelObject[];
  @Field(() => [AiProviderHealthObject]) providers!: AiProviderHealthObject[];
}

@ObjectType('DashboardQueue', { description: 'A BullMQ queue' })
export class DashboardQueueObject {
  @Field() name!: string;
  @Field(() => Int) waiting!: number;
  @Field(() => Int) active!: number;
  @Field(() => Int) delayed!: number;
  @Field(() => Int, { description: 'Failed for good and kept for inspection' }) failed!: number;
  @Field(() => Float, { description: 'Age of the oldest waiting job (0 when none waits)' }) oldestWaitingSeconds!: number;
  @Field({ description: 'False when Redis did not answer for this queue' }) reachable!: boolean;
}

@ObjectType('BusinessDashboard', { description: 'The whole hub’s figures, for staff' })
export class BusinessDashboardObject {
  @Field(() => DashboardUsersObject) users!: DashboardUsersObject;
  @Field(() => DashboardCreditsObject) credits!: DashboardCreditsObject;
  @Field(() => DashboardRevenueObject) revenue!: DashboardRevenueObject;
  @Field(() => DashboardAiObject) ai!: DashboardAiObject;
  @Field(() => [DashboardQueueObject]) queues!: DashboardQueueObject[];
  @Field(() => [CreditTransactionObject], { description: 'Newest first: 1,000 credits or more either way' })
  largeTransactions!: CreditTransactionObject[];
}

@ObjectType('DashboardAiCall', { description: 'One of your AI calls' })
export class DashboardAiCallObject {
  @Field(() => ID) id!: string;
  @Field() at!: Date;
  @Field() channel!: string;
  @Field() model!: string;
  @Field() status!: string;
  @Field(() => Int) inputTokens!: number;
  @Field(() => Int) outputTokens!: number;
  @Field(() => Float) credits!: number;
  @Field(() => Int) latencyMs!: number;
}

@ObjectType('DashboardUsage', { description: 'Your AI calls since the start of the month (UTC)' })
export class DashboardUsageObject {
  @Field(() => Int) requests!: number;
  @Field(() => Int) errors!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'In credits' }) credits!: number;
}

@ObjectType('PersonalDashboard', { description: 'The caller’s own figures' })
export class PersonalDashboardObject {
  @Field(() => CreditBalanceObject) balance!: CreditBalanceObject;
  @Field(() => CreditForecastObject) forecast!: CreditForecastObject;
  @Field(() => DashboardUsageObject) usageThisMonth!: DashboardUsageObject;
  @Field(() => [DashboardAiCallObject], { description: 'Newest first' }) recentCalls!: DashboardAiCallObject[];
}

@ObjectType('Dashboard', { description: 'The console’s first page. Recent media jobs: ask mediaJobs in the same operation.' })
export class DashboardObject {
  @Field(() => BusinessDashboardObject, { nullable: true, description: 'Null unless your role sees users, billing and AI of everyone' })
  business!: BusinessDashboardObject | null;
  @Field(() => PersonalDashboardObject) personal!: PersonalDashboardObject;
}
