import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, UserRepository } from '@sah/domain';
import { Public } from '../../../platform/auth/auth.decorators';
import { SignInService } from '../application/sign-in.service';
import { authPayload } from '../graphql/auth-payload';
import { AuthPayloadObject } from '../graphql/user.object';
import { ConsoleSignInCodes } from './console-sign-in-codes';

/** The console's half of a Google sign-in: the code from /admin/login?code=… for tokens. */
@Resolver()
export class SignInCodeResolver {
  constructor(
    private readonly codes: ConsoleSignInCodes,
    private readonly users: UserRepository,
    private readonly signIn: SignInService,
  ) {}

  @Public()
  @Mutation(() => AuthPayloadObject, {
    description:
      'Exchanges the one-time code of a Google sign-in (valid 60 s, once) for tokens, or for a twoFactor challenge when a second factor is due',
  })
  async exchangeSignInCode(@Args('code') code: string): Promise<AuthPayloadObject> {
    const user = await this.users.findById(await this.codes.redeem(code));
    if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    // The Google callback has audited the sign-in already.
    return authPayload(await this.signIn.afterFirstFactor(user, 'google', { signInAudited: true }));
  }
}
