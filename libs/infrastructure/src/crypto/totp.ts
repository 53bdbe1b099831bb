import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { randomBytes } from 'node:crypto';

const crypto = new NodeCryptoPlugin();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 160 bits, the size RFC 4226 recommends (HMAC-SHA1's output). */
const SECRET_BYTES = 20;

/**
 * RFC 6238 codes through otplib: SHA-1, 6 digits, 30 s steps, as every authenticator app expects.
 * Secrets travel as RFC 4648 base32 (what the apps show and the otpauth URI carries).
 */
export const Totp = {
  newSecret(): string {
    return toBase32(randomBytes(SECRET_BYTES));
  },

  /** The otpauth:// URI an authenticator app scans from the QR code. */
  uri(secret: string, issuer: string, account: string): string {
    return generateTOTP({ secret, issuer, label: account });
  },

  /** The time step the code belongs to (this one or the one either side, for clock drift), or null. */
  verify(secret: string, code: string, now = Date.now()): number | null {
    const result = verifySync({
      secret: fromBase32(secret),
      token: code,
      crypto,
      epoch: Math.floor(now / 1000),
      epochTolerance: 30,
    });
    return result.valid ? result.timeStep : null;
  },

  /** The current code, as an authenticator app would show it (tests and tools). */
  codeAt(secret: string, now = Date.now()): string {
    return generateSync({ secret: fromBase32(secret), crypto, epoch: Math.floor(now / 1000) });
  },
};

export function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function fromBase32(text: string): Uint8Array {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}
