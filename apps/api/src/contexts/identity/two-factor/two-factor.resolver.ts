import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError, User, UserRepository } from '@sah/domain';
import {
  CurrentPrincipal,
  Public,
  RequirePermission,
  requestOf,
} from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { SignInService } from '../application/sign-in.service';
import { UserAdminService } from '../application/user-admin.service';
import { authPayload } from '../graphql/auth-payload';
import { AuthPayloadObject, UserObject } from '../graphql/user.object';
import { TwoFactorChallenges } from './two-factor-challenges';
import { TwoFactorService } from './two-factor.service';
import {
  CompleteTwoFactorSignInInput,
  ConfirmTwoFactorInput,
  DisableTwoFactorInput,
  TwoFactorConfirmationObject,
  TwoFactorEnrolmentObject,
} from './two-factor.graphql';

/** The signed-in caller, if any (on public operations): only a session counts, never an API key. */
const SessionPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => {
    const principal = requestOf(context).principal;
    return principal?.via === 'access_token' ? principal : undefined;
  },
);

/**
 * TOTP second factors: enrol (signed in, or with the ENROL challenge of a sign-in when policy
 * requires one), confirm, turn off, present at sign-in; administrators reset someone's.
 */
@Resolver(() => UserObject)
export class TwoFactorResolver {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly signIn: SignInService,
    private readonly challenges: TwoFactorChallenges,
    private readonly users: UserRepository,
    private readonly admin: UserAdminService,
  ) {}

  @ResolveField(() => Boolean, { description: 'Whether the account signs in with a TOTP second factor' })
  twoFactorEnabled(@Parent() user: UserObject): Promise<boolean> {
    return this.twoFactor.isEnabled(user.id);
  }

  @Public()
  @Mutation(() => AuthPayloadObject, {
    description:
      'The second step of a sign-in: the twoFactor challenge and a TOTP or recovery code, for tokens',
  })
  async completeTwoFactorSignIn(
    @Args('input') input: CompleteTwoFactorSignInInput,
  ): Promise<AuthPayloadObject> {
    return authPayload(await this.signIn.completeSecondFactor(input.challengeToken, input.code));
  }

  @Public()
  @Mutation(() => TwoFactorEnrolmentObject, {
    description: 'A new TOTP secret (and its otpauth URI) to confirm with confirmTwoFactor',
  })
  async enrolTwoFactor(
    @SessionPrincipal() principal: Principal | undefined,
    @Args('challengeToken', { nullable: true }) challengeToken?: string,
  ): Promise<TwoFactorEnrolmentObject> {
    const user = await this.caller(principal, challengeToken);
    return Object.assign(new TwoFactorEnrolmentObject(), await this.twoFactor.enrol(user));
  }

  @Public()
  @Mutation(() => TwoFactorConfirmationObject, {
    description: 'Turns two-factor authentication on with a first code; returns the recovery codes once',
  })
  async confirmTwoFactor(
    @SessionPrincipal() principal: Principal | undefined,
    @Args('input') input: ConfirmTwoFactorInput,
  ): Promise<TwoFactorConfirmationObject> {
    const user = await this.caller(principal, input.challengeToken);
    const recoveryCodes = await this.twoFactor.confirm(user, input.code);
    let session: AuthPayloadObject | null = null;
    if (!principal && input.challengeToken) {
      const { method } = await this.challenges.read(input.challengeToken, 'enrol');
      await this.challenges.spend(input.challengeToken);
      session = authPayload(await this.signIn.completeEnrolment(user, method));
    }
    return Object.assign(new TwoFactorConfirmationObject(), { recoveryCodes, session });
  }

  @Mutation(() => Boolean, {
    description: 'Turns two-factor authentication off, with a current code, a recovery code or the password',
  })
  async disableTwoFactor(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DisableTwoFactorInput,
  ): Promise<boolean> {
    if (principal.via !== 'access_token')
      throw new DomainError('FORBIDDEN', 'Sign in to change two-factor authentication');
    await this.twoFactor.disable(await this.userOf(principal.userId), input, principal.sessionId);
    return true;
  }

  @Mutation(() => UserObject, { description: "Removes a user's second factor (a lost phone). Audited" })
  @RequirePermission('users:manage')
  async resetUserTwoFactor(
    @CurrentPrincipal() principal: Principal,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<UserObject> {
    const user = await this.admin.get(userId);
    await this.twoFactor.reset(principal, user);
    return UserObject.fromDomain(user);
  }

  /** The signed-in user, else the one an ENROL challenge was issued to. */
  private async caller(principal: Principal | undefined, challengeToken: string | undefined): Promise<User> {
    if (principal) return this.userOf(principal.userId);
    if (!challengeToken)
      throw new DomainError('UNAUTHENTICATED', 'Sign in first, or pass the challenge of your sign-in');
    const challenge = await this.challenges.read(challengeToken, 'enrol');
    return this.userOf(challenge.userId);
  }

  private async userOf(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'This account no longer exists');
    return user;
  }
}
