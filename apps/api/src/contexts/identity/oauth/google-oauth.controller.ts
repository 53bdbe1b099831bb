import { Controller, Get, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { User } from '@sah/domain';
import type { Request, Response } from 'express';
import { AppConfig } from '../../../config/app-config';
import { AuthRateLimit, Public } from '../../../platform/auth/auth.decorators';
import { AccountDeletions } from '../account-deletion/account-deletions.service';
import { verifiedSessionPage } from '../sessions/verified-session.page';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { TwoFactorChallenges } from '../two-factor/two-factor-challenges';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { twoFactorPage } from '../two-factor/two-factor.page';
import { ConsoleSignInCodes } from './console-sign-in-codes';
import { GoogleOAuthGuard } from './google-oauth.guard';
import { isGoogleSignInRequest } from './google-sign-in-request';
import { SignInErrorPageFilter } from './sign-in-error-page.filter';

/**
 * Google sign-in for people in a browser. Started by the console, it ends back there with a
 * one-time code; started by a third-party tool (`?session=`), with a page showing a VERIFIED code.
 */
@Public()
@Controller('auth/google')
@UseGuards(GoogleOAuthGuard)
@UseFilters(SignInErrorPageFilter)
export class GoogleOAuthController {
  constructor(
    private readonly config: AppConfig,
    private readonly consoleCodes: ConsoleSignInCodes,
    private readonly sessions: VerifiedSessions,
    private readonly twoFactor: TwoFactorService,
    private readonly challenges: TwoFactorChallenges,
    private readonly deletions: AccountDeletions,
  ) {}

  @Get()
  start(): void {
    // Never reached: the guard has already redirected the browser to Google.
  }

  @Get('callback')
  @AuthRateLimit()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = req.user;
    // passport-oauth2 passes on what the state store kept for this sign-in as authInfo.state.
    const info: unknown = req.authInfo;
    const request = typeof info === 'object' && info !== null && 'state' in info ? info.state : undefined;
    if (!(user instanceof User) || !isGoogleSignInRequest(request))
      throw new Error('Google guard passed without an account and its request');
    res.setHeader('Cache-Control', 'no-store');
    if (request.session && (await this.twoFactor.isEnabled(user.id))) {
      const externalSession = { id: request.session, returnTo: request.returnTo };
      const challenge = await this.challenges.issue({ userId: user.id, purpose: 'sign_in', method: 'google', externalSession });
      res.type('html').send(twoFactorPage({ challengeToken: challenge.token }));
      return;
    }
    if (request.session) {
      await this.deletions.cancelOnSignIn(user);
      const { code, session } = await this.sessions.issue(user, request.session);
      res
        .type('html')
        .send(verifiedSessionPage({ code, expiresAt: session.expiresAt, returnTo: request.returnTo }));
      return;
    }
    const code = await this.consoleCodes.issue(user.id);
    res.redirect(302, `${this.config.http.appUrl}/admin/login?code=${encodeURIComponent(code)}`);
  }
}
