import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuditLogRepository } from '@sah/infrastructure';
import { RequirePermission } from '../../../platform/auth/auth.decorators';
import { AuditEntryObject, AuditEntryPageObject } from './audit-entry.object';
import { AuditLogFilterInput } from './identity.inputs';
import { PageInfoObject } from './user.object';

@Resolver()
export class AuditLogResolver {
  constructor(private readonly entries: AuditLogRepository) {}

  @Query(() => AuditEntryPageObject, { description: 'Newest first' })
  @RequirePermission('audit:read')
  async auditLog(@Args('filter', { nullable: true }) filter?: AuditLogFilterInput): Promise<AuditEntryPageObject> {
    const query = { ...filter, page: filter?.page ?? 1, perPage: filter?.perPage ?? 50 };
    const { items, total } = await this.entries.list(query);
    return Object.assign(new AuditEntryPageObject(), {
      items: items.map(AuditEntryObject.fromRow),
      pageInfo: PageInfoObject.of(query.page, query.perPage, total),
    });
  }
}
