import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { SignInSessionObject } from './sign-in-session.object';
import { SignInSessions } from './sign-in-sessions.service';

/** The caller's own sign-in sessions; API keys and session codes cannot reach these (deny by default). */
@Resolver(() => SignInSessionObject)
export class SignInSessionsResolver {
  constructor(private readonly sessions: SignInSessions) {}

  @Query(() => [SignInSessionObject], { description: "The caller's sessions that are still signed in, last used first" })
  async signInSessions(@CurrentPrincipal() principal: Principal): Promise<SignInSessionObject[]> {
    return (await this.sessions.list(principal)).map(SignInSessionObject.from);
  }

  @Mutation(() => Boolean, { description: 'Signs one of your sessions out: its refresh and access tokens stop working. Audited' })
  async revokeSignInSession(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.sessions.revoke(principal, id);
    return true;
  }

  @Mutation(() => Int, { description: 'Signs out every session but this one; returns how many there were. Audited' })
  revokeOtherSignInSessions(@CurrentPrincipal() principal: Principal): Promise<number> {
    return this.sessions.revokeOthers(principal);
  }
}
