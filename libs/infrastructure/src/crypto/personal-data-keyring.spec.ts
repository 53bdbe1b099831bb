import { randomBytes } from 'node:crypto';
import { PersonalDataKeyring, parseEncryptionKey } from './personal-data-keyring';

describe('PersonalDataKeyring', () => {
  const [older, current] = [randomBytes(32), randomBytes(32)];

  it('seals under the current key, names it, and opens only in the same row and column', () => {
    const keyring = new PersonalDataKeyring(current);
    const sealed = keyring.seal('ada@example.com', 'identity_user.email:u1');
    expect(sealed.toString('utf8')).not.toContain('ada@');
    expect(keyring.currentKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(keyring.open(sealed, keyring.currentKeyId, 'identity_user.email:u1')).toBe('ada@example.com');
    expect(() => keyring.open(sealed, keyring.currentKeyId, 'identity_user.email:u2')).toThrow();
    expect(() => keyring.open(sealed, keyring.currentKeyId, 'identity_user.name:u1')).toThrow();
  });

  it('opens with an older key by its id, hashes under each key, and refuses a key it does not hold', () => {
    const before = new PersonalDataKeyring(older);
    const sealed = before.seal('Ada', 'ctx');
    const rotated = new PersonalDataKeyring(current, [older]);
    expect(rotated.currentKeyId).not.toBe(before.currentKeyId);
    expect(rotated.open(sealed, before.currentKeyId, 'ctx')).toBe('Ada');
    expect(rotated.lookupHashes('ada@example.com')).toEqual([
      new PersonalDataKeyring(current).lookupHash('ada@example.com'),
      before.lookupHash('ada@example.com'),
    ]);
    expect(rotated.lookupHash('ada@example.com').equals(before.lookupHash('ada@example.com'))).toBe(false);
    expect(() => new PersonalDataKeyring(current).open(sealed, before.currentKeyId, 'ctx')).toThrow(/not in ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS/);
  });

  it('reads keys as hex or base64, 32 bytes only', () => {
    expect(parseEncryptionKey('ab'.repeat(32))?.toString('hex')).toBe('ab'.repeat(32));
    expect(parseEncryptionKey(Buffer.alloc(32, 1).toString('base64'))).toEqual(Buffer.alloc(32, 1));
    expect(parseEncryptionKey('ab'.repeat(16))).toBeNull();
    expect(() => PersonalDataKeyring.fromEnvironment({ NODE_ENV: 'production' })).toThrow(/ENCRYPTION_KEY is required/);
    expect(() => PersonalDataKeyring.fromEnvironment({ ENCRYPTION_KEYS_PREVIOUS: 'nope' })).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });
});
