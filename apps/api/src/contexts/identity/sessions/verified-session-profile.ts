import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What verifying a code answers besides the user id, copied at issue so verifying needs no database read. */
export interface VerifiedProfile {
  email: string;
  name: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/*
 * The profile is sealed (AES-256-GCM) under a key derived from the code itself: the code is never
 * stored, so Redis holds no readable address or name, and only the tool presenting the code can open
 * the profile. The code carries 192 random bits, enough key material for HKDF without a salt. The
 * session id is the additional data, so a sealed profile moved to another record does not open.
 */
const keyOf = (code: string): Buffer =>
  Buffer.from(hkdfSync('sha256', code, Buffer.alloc(0), 'smart-ai-hub/verified-session/profile', 32));

export function sealProfile(profile: VerifiedProfile, code: string, sessionId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(code), iv);
  cipher.setAAD(Buffer.from(sessionId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(profile), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** Throws when the code is not the one that sealed it, or the value was altered. */
export function openProfile(sealed: string, code: string, sessionId: string): VerifiedProfile {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(code), bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(sessionId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as VerifiedProfile;
}
