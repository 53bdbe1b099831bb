import type { SignInOutcome } from '../application/sign-in.service';
import { AuthPayloadObject, TwoFactorChallengeObject, UserObject } from './user.object';

/** An AuthPayload with tokens, or with the two-factor challenge that stands before them. */
export function authPayload(outcome: SignInOutcome): AuthPayloadObject {
  const user = UserObject.fromDomain(outcome.user);
  if ('tokens' in outcome)
    return Object.assign(new AuthPayloadObject(), { ...outcome.tokens, user, twoFactor: null });
  const { token, purpose, expiresIn } = outcome.challenge;
  const twoFactor = Object.assign(new TwoFactorChallengeObject(), {
    challengeToken: token,
    purpose: purpose.toUpperCase(),
    expiresIn,
  });
  return Object.assign(new AuthPayloadObject(), {
    accessToken: null,
    refreshToken: null,
    expiresIn: null,
    user,
    twoFactor,
  });
}
