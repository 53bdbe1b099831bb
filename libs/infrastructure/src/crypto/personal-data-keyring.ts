import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Outside production only: what ENCRYPTION_KEY is when unset (the API refuses to start without one in production). */
export const DEVELOPMENT_ENCRYPTION_KEY = Buffer.alloc(32, 'development-only-encryption-key!');

/** 32 bytes given as 64 hex digits or base64; null when it is not that. */
export function parseEncryptionKey(value: string): Buffer | null {
  const key = /^[0-9a-f]{64}$/i.test(value.trim()) ? Buffer.from(value.trim(), 'hex') : Buffer.from(value.trim(), 'base64');
  return key.length === 32 ? key : null;
}

interface DerivedKey {
  id: string;
  encryption: Buffer;
  lookup: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function deriveKeys(master: Buffer): DerivedKey {
  if (master.length !== 32) throw new Error('PersonalDataKeyring needs 32-byte keys');
  return { id: derive(master, 'key-id', 4).toString('hex'), encryption: derive(master, 'encryption', 32), lookup: derive(master, 'email-lookup', 32) };
}

const derive = (master: Buffer, purpose: string, bytes: number): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `smart-ai-hub/personal-data/${purpose}`, bytes));

/**
 * Personal data at rest (e-mail addresses, names): AES-256-GCM under the newest key, and a keyed hash
 * (HMAC-SHA256) of the normalised e-mail for lookups and uniqueness. Each master key yields its own
 * encryption key, lookup key and an 8-hex-digit id (all by HKDF), so rows name the key that sealed
 * them and `keys:rotate` knows what is left to re-encrypt; older keys only open and look up.
 * The additional data binds a ciphertext to its row and column: one copied elsewhere does not open.
 */
export class PersonalDataKeyring {
  private readonly current: DerivedKey;
  private readonly keys: DerivedKey[];

  /** `current` seals; `previous` (older keys, any order) still open what they sealed. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.current = deriveKeys(current);
    this.keys = [this.current, ...previous.map(deriveKeys)];
  }

  /** Keys named by ENCRYPTION_KEY and ENCRYPTION_KEYS_PREVIOUS (for migrations and tools outside the app's config). */
  static fromEnvironment(env: NodeJS.ProcessEnv): PersonalDataKeyring {
    const read = (name: string, value: string): Buffer => {
      const key = parseEncryptionKey(value);
      if (!key) throw new Error(`${name}: expected 32 bytes as 64 hex digits or base64`);
      return key;
    };
    const current = env['ENCRYPTION_KEY']?.trim();
    if (!current && env['NODE_ENV'] === 'production') throw new Error('ENCRYPTION_KEY is required in production');
    const previous = (env['ENCRYPTION_KEYS_PREVIOUS'] ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '')
      .map((value) => read('ENCRYPTION_KEYS_PREVIOUS', value));
    return new PersonalDataKeyring(current ? read('ENCRYPTION_KEY', current) : DEVELOPMENT_ENCRYPTION_KEY, previous);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** IV ‖ tag ‖ ciphertext under the current key. */
  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the key is unknown (not in the keyring) or the value was tampered with or moved. */
  open(sealed: Buffer, keyId: string, context: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId).encryption, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** The keyed hash of a normalised value under one key (the current one unless named). */
  lookupHash(normalized: string, keyId = this.currentKeyId): Buffer {
    return createHmac('sha256', this.key(keyId).lookup).update(normalized, 'utf8').digest();
  }

  /** The hash under every key: rows not yet rotated carry an older key's. */
  lookupHashes(normalized: string): Buffer[] {
    return this.keys.map((key) => this.lookupHash(normalized, key.id));
  }

  private key(keyId: string): DerivedKey {
    const key = this.keys.find((candidate) => candidate.id === keyId);
    if (!key) throw new Error(`personal data sealed under key ${keyId}, which is not in ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS`);
    return key;
  }
}
