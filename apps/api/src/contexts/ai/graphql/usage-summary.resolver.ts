import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { UsageAnalytics } from '../analytics/usage-analytics.service';
import { UsageSummaryFilterInput } from './usage-summary.inputs';
import { UsageSummaryObject } from './usage-summary.object';

/** Groups a summary may return; the CSV export has no such limit. */
const MAX_GROUPS = 1000;

@Resolver()
export class UsageSummaryResolver {
  constructor(private readonly analytics: UsageAnalytics) {}

  @Query(() => UsageSummaryObject, { description: 'Your AI usage; managers see their teams’, administrators everyone’s' })
  @RequirePermission('ai:use')
  async usageSummary(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => UsageSummaryFilterInput, nullable: true }) filter?: UsageSummaryFilterInput,
  ): Promise<UsageSummaryObject> {
    return UsageSummaryObject.from(await this.analytics.summary(principal, filter ?? {}, MAX_GROUPS));
  }
}
