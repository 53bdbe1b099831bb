import { Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../platform/auth/auth.decorators';
import type { Principal } from '../../platform/auth/principal';
import { DashboardObject } from './dashboard.objects';
import { OpsDashboard } from './ops-dashboard.service';

@Resolver()
export class DashboardResolver {
  constructor(private readonly ops: OpsDashboard) {}

  @Query(() => DashboardObject, {
    description: 'The console’s first page: the whole hub’s figures for staff (business), everyone’s own (personal)',
  })
  @RequirePermission('credits:read')
  dashboard(@CurrentPrincipal() principal: Principal): Promise<DashboardObject> {
    return this.ops.view(principal);
  }
}
