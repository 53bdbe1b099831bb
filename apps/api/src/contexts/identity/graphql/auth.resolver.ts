import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { UserRepository } from '@sah/domain';
import { ANY_API_KEY_SCOPE, ApiKeyScope, CurrentPrincipal, Public } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { AccountsService } from '../application/accounts.service';
import { EmailVerification } from '../application/email-verification.service';
import { SignInService } from '../application/sign-in.service';
import { authPayload as payload } from './auth-payload';
import { ChangePasswordInput, LoginInput, RegisterInput, ResetPasswordInput, VerifyEmailInput } from './identity.inputs';
import { AuthPayloadObject, UserObject } from './user.object';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly verification: EmailVerification,
    private readonly signIn: SignInService,
    private readonly users: UserRepository,
  ) {}

  @Public()
  @Mutation(() => UserObject, { description: 'Creates an unverified account and mails a 6-digit code' })
  async register(@Args('input') input: RegisterInput): Promise<UserObject> {
    return UserObject.fromDomain(await this.accounts.register(input));
  }

  @Public()
  @Mutation(() => AuthPayloadObject, { description: 'Tokens, or a twoFactor challenge where the role must enrol first' })
  async verifyEmail(@Args('input') input: VerifyEmailInput): Promise<AuthPayloadObject> {
    return payload(await this.signIn.afterFirstFactor(await this.verification.verify(input.email, input.otp), 'email_code'));
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Always true: does not reveal whether the address exists' })
  async resendVerification(@Args('email') email: string): Promise<boolean> {
    await this.verification.resend(email);
    return true;
  }

  @Public()
  @Mutation(() => AuthPayloadObject, {
    description: 'With two-factor authentication on (or required for the role), returns no tokens but a twoFactor challenge',
  })
  async login(@Args('input') input: LoginInput): Promise<AuthPayloadObject> {
    return payload(await this.signIn.login(input.email, input.password));
  }

  @Public()
  @Mutation(() => AuthPayloadObject, { description: 'Rotates the refresh token: the old one stops working' })
  async refreshToken(@Args('refreshToken') refreshToken: string): Promise<AuthPayloadObject> {
    return payload(await this.signIn.refresh(refreshToken));
  }

  @Mutation(() => Boolean)
  async logout(
    @CurrentPrincipal() principal: Principal,
    @Args('refreshToken', { nullable: true }) refreshToken?: string,
  ): Promise<boolean> {
    await this.signIn.logout(principal, refreshToken);
    return true;
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Always true: does not reveal whether the address exists' })
  async requestPasswordReset(@Args('email') email: string): Promise<boolean> {
    await this.accounts.requestPasswordReset(email);
    return true;
  }

  @Public()
  @Mutation(() => Boolean)
  async resetPassword(@Args('input') input: ResetPasswordInput): Promise<boolean> {
    await this.accounts.resetPassword(input.token, input.newPassword);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Signs out every other session of the account' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Args('input') input: ChangePasswordInput): Promise<boolean> {
    await this.accounts.changePassword(principal, input.currentPassword, input.newPassword);
    return true;
  }

  @Query(() => UserObject)
  @ApiKeyScope(ANY_API_KEY_SCOPE)
  async me(@CurrentPrincipal() principal: Principal): Promise<UserObject> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new Error(`Authenticated user ${principal.userId} not found`);
    return UserObject.fromDomain(user);
  }
}
