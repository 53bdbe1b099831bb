import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ConnectionStats } from './connection-registry';

@ObjectType('AiUserConnections')
export class AiUserConnectionsObject {
  @Field(() => ID) userId!: string;
  @Field(() => Int) connections!: number;
}

@ObjectType('AiConnectionStats', { description: 'Open /ws/mcp connections on the API instance that answered' })
export class AiConnectionStatsObject {
  @Field(() => Int) open!: number;
  @Field(() => Int, { description: 'Requests being answered over those connections' }) inFlight!: number;
  @Field(() => [AiUserConnectionsObject], { description: 'Users with the most connections first' }) byUser!: AiUserConnectionsObject[];

  static from(stats: ConnectionStats): AiConnectionStatsObject {
    return Object.assign(new AiConnectionStatsObject(), {
      open: stats.open,
      inFlight: stats.inFlight,
      byUser: stats.byUser.map((row) => Object.assign(new AiUserConnectionsObject(), row)),
    });
  }
}
