import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
}

/**
 * Secrets at rest with AES-256-GCM: a fresh 96-bit IV per secret, and the tag checked on opening, so
 * a tampered or wrongly keyed value fails loudly instead of decrypting to garbage. Sealed with the
 * current key; opened with it or a previous one (the tag tells which), until `keys:rotate` re-seals.
 */
export class SecretBox {
  private readonly keys: readonly Buffer[];

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    this.keys = [key, ...previous];
    if (this.keys.some((candidate) => candidate.length !== 32)) throw new Error('SecretBox needs 32-byte keys');
  }

  seal(plaintext: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0] as Buffer, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag() };
  }

  open(sealed: SealedSecret): string {
    return this.openWithKey(sealed).plaintext;
  }

  /** The plaintext and whether an older key sealed it (keys:rotate re-seals those). */
  openWithKey(sealed: SealedSecret): { plaintext: string; stale: boolean } {
    for (const [index, key] of this.keys.entries()) {
      const plaintext = openWith(key, sealed);
      if (plaintext !== null) return { plaintext, stale: index > 0 };
    }
    throw new Error('Unsupported state or unable to authenticate data');
  }
}

function openWith(key: Buffer, sealed: SealedSecret): string | null {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAuthTag(sealed.authTag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
