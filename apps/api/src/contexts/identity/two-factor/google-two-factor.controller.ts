import { Body, Controller, Post, Res, UseFilters } from '@nestjs/common';
import { DomainError, isDomainError } from '@sah/domain';
import { IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { AuthRateLimit, Public } from '../../../platform/auth/auth.decorators';
import { SignInService } from '../application/sign-in.service';
import { SignInErrorPageFilter } from '../oauth/sign-in-error-page.filter';
import { verifiedSessionPage } from '../sessions/verified-session.page';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { TwoFactorChallenges } from './two-factor-challenges';
import { twoFactorPage } from './two-factor.page';

class TwoFactorForm {
  @IsString() @MaxLength(200) challengeToken!: string;
  @IsString() @MaxLength(40) code!: string;
}

/**
 * Ends a third-party tool's Google sign-in for an account with two-factor authentication: the code
 * from the form, then the VERIFIED code page. A wrong code shows the form again; a lock-out or an
 * expired challenge ends on the sign-in error page.
 */
@Public()
@Controller('auth/google/two-factor')
@UseFilters(SignInErrorPageFilter)
export class GoogleTwoFactorController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: VerifiedSessions,
    private readonly challenges: TwoFactorChallenges,
  ) {}

  @Post()
  @AuthRateLimit()
  async submit(@Body() form: TwoFactorForm, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    // A console sign-in's challenge has no third-party session to end with: refuse it before spending it.
    const external = (await this.challenges.read(form.challengeToken, 'sign_in')).externalSession;
    if (!external)
      throw new DomainError('UNAUTHENTICATED', 'This sign-in step is invalid or expired: sign in again');
    let user;
    try {
      ({ user } = await this.signIn.passSecondFactor(form.challengeToken, form.code));
    } catch (error) {
      const wrongCode =
        isDomainError(error) &&
        error.code === 'UNAUTHENTICATED' &&
        error.details?.attempts_remaining !== undefined;
      if (!wrongCode) throw error;
      res
        .status(401)
        .type('html')
        .send(twoFactorPage({ challengeToken: form.challengeToken, error: error.message }));
      return;
    }
    const { code, session } = await this.sessions.issue(user, external.id);
    res
      .status(200)
      .type('html')
      .send(verifiedSessionPage({ code, expiresAt: session.expiresAt, returnTo: external.returnTo }));
  }
}
