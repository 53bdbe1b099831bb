import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret, with a fresh IV each time', () => {
    const a = box.seal('sk-live-123');
    const b = box.seal('sk-live-123');
    expect(box.open(a)).toBe('sk-live-123');
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('sk-live');
  });

  it('refuses a tampered value or another key', () => {
    const sealed = box.seal('sk-live-123');
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext) };
    tampered.ciphertext[0] ^= 1;
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('opens what a previous key sealed, says so, and seals with the current key', () => {
    const [older, current] = [randomBytes(32), randomBytes(32)];
    const sealedBefore = new SecretBox(older).seal('whsec_old');
    const rotated = new SecretBox(current, [older]);
    expect(rotated.openWithKey(sealedBefore)).toEqual({ plaintext: 'whsec_old', stale: true });
    const resealed = rotated.seal('whsec_old');
    expect(rotated.openWithKey(resealed)).toEqual({ plaintext: 'whsec_old', stale: false });
    expect(() => new SecretBox(older).open(resealed)).toThrow();
    expect(() => new SecretBox(current).open(sealedBefore)).toThrow();
  });
});
