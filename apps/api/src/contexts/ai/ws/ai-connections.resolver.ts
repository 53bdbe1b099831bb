import { Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../../platform/auth/auth.decorators';
import { AiConnectionStatsObject } from './ai-connection-stats.object';
import { ConnectionRegistry } from './connection-registry';

@Resolver()
export class AiConnectionsResolver {
  constructor(private readonly registry: ConnectionRegistry) {}

  @Query(() => AiConnectionStatsObject, { description: 'WebSocket (/ws/mcp) connection counts, for admins' })
  @RequirePermission('users:manage')
  aiConnections(): AiConnectionStatsObject {
    return AiConnectionStatsObject.from(this.registry.stats());
  }
}
