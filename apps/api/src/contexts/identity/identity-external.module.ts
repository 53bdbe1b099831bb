import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ConsoleSignInCodes } from './oauth/console-sign-in-codes';
import { GoogleOAuthController } from './oauth/google-oauth.controller';
import { GoogleSignIn } from './oauth/google-sign-in.service';
import { GoogleStrategy } from './oauth/google.strategy';
import { OAuthStateStore } from './oauth/oauth-state.store';
import { SignInCodeResolver } from './oauth/sign-in-code.resolver';
import { VerifiedSessionAssetsController } from './sessions/verified-session-assets.controller';
import { VerifiedSessionStore } from './sessions/verified-session.store';
import { VerifiedSessionsController } from './sessions/verified-sessions.controller';
import { VerifiedSessionsResolver } from './sessions/verified-sessions.resolver';
import { VerifiedSessions } from './sessions/verified-sessions.service';
import { GoogleTwoFactorController } from './two-factor/google-two-factor.controller';

/**
 * Identity towards the outside: Google sign-in (for the console and for third-party tools) and the
 * VERIFIED session codes those tools hold. Builds on IdentityModule's exports. Global because
 * IdentityModule's password reset revokes VERIFIED sessions too.
 */
@Global()
@Module({
  controllers: [GoogleOAuthController, GoogleTwoFactorController, VerifiedSessionAssetsController, VerifiedSessionsController],
  providers: [
    OAuthStateStore,
    GoogleSignIn,
    ConsoleSignInCodes,
    VerifiedSessionStore,
    VerifiedSessions,
    SignInCodeResolver,
    VerifiedSessionsResolver,
    {
      // Registers itself with passport on construction; without a client there is nothing to register.
      provide: GoogleStrategy,
      inject: [AppConfig, OAuthStateStore, GoogleSignIn],
      useFactory: (config: AppConfig, states: OAuthStateStore, signIn: GoogleSignIn) => {
        const { client } = config.google;
        return client ? new GoogleStrategy({ ...config.google, client }, states, signIn) : null;
      },
    },
  ],
  exports: [VerifiedSessions],
})
export class IdentityExternalModule {}
