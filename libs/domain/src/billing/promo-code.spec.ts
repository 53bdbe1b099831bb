import { DomainError } from '../shared/domain-error';
import {
  normalizePromoCode,
  promoCodeTerms,
  promoCreditsExpiry,
  redemptionRefusal,
  redemptionRefused,
  remainingUses,
} from './promo-code';

const now = new Date('2030-01-01T00:00:00Z');
const errorOf = (run: () => unknown): DomainError | undefined => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  return undefined;
};

describe('normalizePromoCode', () => {
  it('makes codes case-insensitive and forgives surrounding spaces', () => {
    expect(normalizePromoCode('  summer-2030_x ')).toBe('SUMMER-2030_X');
    expect(normalizePromoCode('Summer-2030_X')).toBe(normalizePromoCode('SUMMER-2030_x'));
  });

  it.each(['ab', 'x'.repeat(33), 'two words', 'café', 'ß-code', 'code!', '', '%LIKE%'])('refuses %j', (input) => {
    const error = errorOf(() => normalizePromoCode(input));
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details).toEqual({ field: 'code' });
  });
});

describe('promoCodeTerms', () => {
  it('normalises the code and parses credits exactly', () => {
    const terms = promoCodeTerms({ code: 'welcome', credits: 12.125, maxUses: 10, creditsValidDays: 30 }, now);
    expect(terms.code).toBe('WELCOME');
    expect(terms.credits.millis).toBe(12_125n);
    expect(terms).toMatchObject({ maxUses: 10, expiresAt: null, creditsValidDays: 30 });
  });

  it('leaves limits out when not given', () => {
    expect(promoCodeTerms({ code: 'open', credits: '5' }, now)).toMatchObject({ maxUses: null, expiresAt: null, creditsValidDays: null });
  });

  it.each([
    ['credits', { credits: 0 }],
    ['credits', { credits: -1 }],
    ['credits', { credits: 1.0005 }],
    ['maxUses', { maxUses: 0 }],
    ['maxUses', { maxUses: 1.5 }],
    ['maxUses', { maxUses: 1_000_000_001 }],
    ['expiresAt', { expiresAt: now }],
    ['expiresAt', { expiresAt: new Date('invalid') }],
    ['creditsValidDays', { creditsValidDays: 0 }],
    ['creditsValidDays', { creditsValidDays: 3651 }],
  ])('refuses a bad %s', (field, override) => {
    const error = errorOf(() => promoCodeTerms({ code: 'valid', credits: 1, ...override }, now));
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details).toEqual({ field });
  });
});

describe('redemptionRefusal', () => {
  const code = { active: true, uses: 3, maxUses: 10, expiresAt: new Date('2030-02-01T00:00:00Z') };

  it('accepts an active, unexpired code with uses left', () => expect(redemptionRefusal(code, now)).toBeNull());
  it('accepts an unlimited code that never expires', () =>
    expect(redemptionRefusal({ active: true, uses: 1e6, maxUses: null, expiresAt: null }, now)).toBeNull());
  it('refuses a deactivated code first', () => expect(redemptionRefusal({ ...code, active: false, uses: 10 }, now)).toBe('inactive'));
  it('refuses at the expiry instant', () => expect(redemptionRefusal({ ...code, expiresAt: now }, now)).toBe('expired'));
  it('refuses once every use is taken', () => expect(redemptionRefusal({ ...code, uses: 10 }, now)).toBe('exhausted'));

  it('answers unknown, inactive and expired alike, and a full code with CONFLICT', () => {
    expect(redemptionRefused('inactive')).toMatchObject({ code: 'NOT_FOUND', message: redemptionRefused('expired').message });
    expect(redemptionRefused('exhausted')).toMatchObject({ code: 'CONFLICT', message: 'This code has been fully redeemed' });
  });
});

describe('remainingUses and promoCreditsExpiry', () => {
  it('counts what is left, never below zero', () => {
    expect(remainingUses({ active: true, uses: 3, maxUses: 10, expiresAt: null })).toBe(7);
    expect(remainingUses({ active: true, uses: 3, maxUses: null, expiresAt: null })).toBeNull();
  });

  it('dates granted credits from the redemption', () => {
    expect(promoCreditsExpiry(now, 30)).toEqual(new Date('2030-01-31T00:00:00Z'));
    expect(promoCreditsExpiry(now, null)).toBeUndefined();
  });
});
