import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { VerifiedSessionObject } from './verified-session.object';
import { VerifiedSessions } from './verified-sessions.service';

/** The caller's own VERIFIED sessions (codes handed to third-party tools). */
@Resolver()
export class VerifiedSessionsResolver {
  constructor(private readonly sessions: VerifiedSessions) {}

  @Query(() => [VerifiedSessionObject], {
    description: 'Your sessions in third-party tools that are still valid, newest first',
  })
  async verifiedSessions(@CurrentPrincipal() principal: Principal): Promise<VerifiedSessionObject[]> {
    return (await this.sessions.list(principal)).map(VerifiedSessionObject.fromSession);
  }

  @Mutation(() => Boolean)
  async revokeVerifiedSession(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.sessions.revokeById(principal, id);
    return true;
  }
}
