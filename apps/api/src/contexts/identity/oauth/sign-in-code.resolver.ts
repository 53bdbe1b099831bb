import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, UserRepository } from '@sah/domain';
import { Public } from '../../../platform/auth/auth.decorators';
import { SignInService } from '../application/sign-in.service';
import { AuthPayloadObject, UserObject } from '../graphql/user.object';
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
    description: 'Exchanges the one-time code of a Google sign-in (valid 60 s, once) for tokens',
  })
  async exchangeSignInCode(@Args('code') code: string): Promise<AuthPayloadObject> {
    const user = await this.users.findById(await this.codes.redeem(code));
    if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    const { tokens } = await this.signIn.signInVerified(user);
    return Object.assign(new AuthPayloadObject(), { ...tokens, user: UserObject.fromDomain(user) });
  }
}
