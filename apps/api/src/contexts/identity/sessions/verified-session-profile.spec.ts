import { openProfile, sealProfile } from './verified-session-profile';

const CODE = `VERIFIED-${'a1B2'.repeat(8)}`;
const OTHER_CODE = `VERIFIED-${'Z9y8'.repeat(8)}`;
const profile = { email: 'ada@example.com', name: 'Ada Lovelace' };

describe('VERIFIED session profile', () => {
  it('opens with the code that sealed it and shows nothing of the profile sealed', () => {
    const sealed = sealProfile(profile, CODE, 'session-1');
    expect(sealed).not.toContain('ada');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('ada@example.com');
    expect(openProfile(sealed, CODE, 'session-1')).toEqual(profile);
  });

  it('does not open with another code, for another session or once altered', () => {
    const sealed = sealProfile(profile, CODE, 'session-1');
    expect(() => openProfile(sealed, OTHER_CODE, 'session-1')).toThrow();
    expect(() => openProfile(sealed, CODE, 'session-2')).toThrow();
    const altered = Buffer.from(sealed, 'base64');
    altered[altered.length - 1] ^= 1;
    expect(() => openProfile(altered.toString('base64'), CODE, 'session-1')).toThrow();
  });
});
