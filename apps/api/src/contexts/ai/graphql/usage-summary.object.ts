import { Field, Float, Int, InterfaceType, ObjectType } from '@nestjs/graphql';
import type { UsageFigures } from '@sah/infrastructure';
import type { UsageSummary } from '../analytics/usage-analytics.service';
import { UsageGroupByEnum } from './usage-summary.inputs';

@InterfaceType('UsageFigures', { description: 'What a set of AI calls added up to' })
export abstract class UsageFiguresObject {
  @Field(() => Int) requests!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'Credits charged (up to 3 decimals)' }) credits!: number;
  @Field(() => Float, { nullable: true, description: 'Over successful calls; null when there were none' }) avgLatencyMs!: number | null;
  @Field(() => Float, { nullable: true, description: 'Over successful calls; null when there were none' }) p95LatencyMs!: number | null;
  @Field(() => Float, { description: 'Failed calls / calls, 0 to 1 (cancelled calls are not failures)' }) errorRate!: number;
}

@ObjectType('UsageSummaryRow', { implements: () => [UsageFiguresObject] })
export class UsageSummaryRowObject extends UsageFiguresObject {
  @Field({ description: 'The group: a day (YYYY-MM-DD, UTC), model id, provider, user id or team id' }) key!: string;
  @Field(() => String, { nullable: true, description: "MEMBER grouping: the member's e-mail address (null once the account is gone)" }) member!: string | null;
}

@ObjectType('UsageTotals', { implements: () => [UsageFiguresObject], description: 'Each call once, whatever the grouping' })
export class UsageTotalsObject extends UsageFiguresObject {}

@ObjectType('UsageSummary')
export class UsageSummaryObject {
  @Field() from!: Date;
  @Field() to!: Date;
  @Field(() => UsageGroupByEnum) groupBy!: UsageGroupByEnum;
  @Field(() => [UsageSummaryRowObject], { description: 'Days earliest first; other groups largest spend first' }) rows!: UsageSummaryRowObject[];
  @Field(() => UsageTotalsObject) totals!: UsageTotalsObject;
  @Field({ description: 'More groups matched than were returned (the largest are kept)' }) truncated!: boolean;

  static from(summary: UsageSummary): UsageSummaryObject {
    return Object.assign(new UsageSummaryObject(), {
      from: summary.from,
      to: summary.to,
      groupBy: summary.groupBy as UsageGroupByEnum,
      rows: summary.rows.map((row) => Object.assign(new UsageSummaryRowObject(), { key: row.key, member: row.member ?? null, ...figures(row) })),
      totals: Object.assign(new UsageTotalsObject(), figures(summary.totals)),
      truncated: summary.truncated,
    });
  }
}

function figures(of: UsageFigures): UsageFiguresObject {
  return { ...of, credits: of.credits.toNumber() };
}
