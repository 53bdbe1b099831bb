import { PassportStrategy } from '@nestjs/passport';
import type { User } from '@sah/domain';
import { Profile, Strategy } from 'passport-google-oauth20';
import { AppConfig } from '../../../config/app-config';
import { toGoogleIdentity } from './google-identity';
import { GoogleSignIn } from './google-sign-in.service';
import { applyOAuthDeadline } from './oauth-deadline';
import { OAuthStateStore } from './oauth-state.store';

export const GOOGLE_STRATEGY = 'google';

/**
 * The real passport-google-oauth20 strategy, its endpoints taken from configuration so tests can
 * run it against a local fake Google. Built only when Google sign-in is configured.
 */
export class GoogleStrategy extends PassportStrategy(Strategy, GOOGLE_STRATEGY) {
  constructor(
    google: AppConfig['google'] & { client: { id: string; secret: string } },
    states: OAuthStateStore,
    private readonly signIn: GoogleSignIn,
  ) {
    super({
      clientID: google.client.id,
      clientSecret: google.client.secret,
      callbackURL: google.callbackUrl,
      authorizationURL: google.authUrl,
      tokenURL: google.tokenUrl,
      userProfileURL: google.userInfoUrl,
      scope: ['openid', 'email', 'profile'],
      store: states,
    });
    // The access token goes in a header, not in the userinfo URL where proxies would log it.
    this._oauth2.useAuthorizationHeaderforGET(true);
    applyOAuthDeadline(this._oauth2, google.timeoutMs);
  }

  validate(_accessToken: string, _refreshToken: string, profile: Profile): Promise<User> {
    return this.signIn.resolveUser(toGoogleIdentity(profile));
  }
}
