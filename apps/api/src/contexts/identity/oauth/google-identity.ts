import type { Profile } from 'passport-google-oauth20';

/** Who Google says signed in: the fields of the OpenID userinfo we rely on. */
export interface GoogleIdentity {
  googleId: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
}

export function toGoogleIdentity(profile: Profile): GoogleIdentity {
  const email = profile.emails?.[0];
  return {
    googleId: profile.id,
    email: email?.value,
    // Google has sent `email_verified` both as a boolean and as the string "true".
    emailVerified: String(email?.verified) === 'true',
    name: profile.displayName || undefined,
  };
}
