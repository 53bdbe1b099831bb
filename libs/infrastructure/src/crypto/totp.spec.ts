import { fromBase32, Totp, toBase32 } from './totp';

describe('Totp', () => {
  // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", 8-digit 94287082 at T=59 s.
  const rfcSecret = toBase32(Buffer.from('12345678901234567890'));

  it('computes the RFC 6238 test vector (last six digits)', () => {
    expect(Totp.codeAt(rfcSecret, 59_000)).toBe('287082');
    expect(Totp.verify(rfcSecret, '287082', 59_000)).toBe(1);
  });

  it('accepts the step either side for clock drift, no further', () => {
    const now = 1_000_000_000_000;
    const secret = Totp.newSecret();
    expect(Totp.verify(secret, Totp.codeAt(secret, now + 30_000), now)).toBe(Math.floor(now / 30_000) + 1);
    expect(Totp.verify(secret, Totp.codeAt(secret, now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(Totp.verify(secret, Totp.codeAt(secret, now + 90_000), now)).toBeNull();
  });

  it('round-trips base32 (RFC 4648) and makes 160-bit secrets', () => {
    expect(toBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(Buffer.from(fromBase32('MZXW6YTBOI')).toString()).toBe('foobar');
    expect(fromBase32(Totp.newSecret())).toHaveLength(20);
  });
});
