import { mustEnrolTwoFactor, normalizeRecoveryCode, parseTotpCode, TwoFactor } from './two-factor';

describe('TwoFactor', () => {
  const now = new Date('2026-12-04T06:00:00Z');

  it('is off until the first code confirms it', () => {
    const factor = TwoFactor.start({ userId: 'u1', secret: 'JBSWY3DPEHPK3PXP', now });
    expect(factor.enabled).toBe(false);
    factor.confirm(100, now);
    expect(factor.enabled).toBe(true);
    expect(factor.lastUsedStep).toBe(100);
    expect(() => factor.confirm(101, now)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('accepts each time step once and never an older one', () => {
    const factor = TwoFactor.restore({
      userId: 'u1',
      secret: 'S',
      enabledAt: now,
      lastUsedStep: 100,
      createdAt: now,
    });
    expect(() => factor.accept(100)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => factor.accept(99)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    factor.accept(101);
    expect(factor.lastUsedStep).toBe(101);
  });
});

describe('two-factor rules', () => {
  it('requires enrolment of administrators only, and only when the policy is on', () => {
    expect(mustEnrolTwoFactor('SUPER_ADMIN', true)).toBe(true);
    expect(mustEnrolTwoFactor('ADMIN', true)).toBe(true);
    expect(mustEnrolTwoFactor('MANAGER', true)).toBe(false);
    expect(mustEnrolTwoFactor('USER', true)).toBe(false);
    expect(mustEnrolTwoFactor('ADMIN', false)).toBe(false);
  });

  it('reads TOTP codes and recovery codes as people type them', () => {
    expect(parseTotpCode('123 456')).toBe('123456');
    expect(parseTotpCode('12345')).toBeNull();
    expect(parseTotpCode('abcdef')).toBeNull();
    expect(normalizeRecoveryCode(' ABCD-efgh ijkl-MNOP ')).toBe('abcdefghijklmnop');
  });
});
