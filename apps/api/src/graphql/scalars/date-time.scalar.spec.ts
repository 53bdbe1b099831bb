import { parseDateTime } from './date-time.scalar';

describe('parseDateTime', () => {
  it.each([
    ['2026-01-31T09:30:00Z', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30:00.123Z', '2026-01-31T09:30:00.123Z'],
    ['2026-01-31T09:30+07:00', '2026-01-31T02:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseDateTime(text).toISOString()).toBe(iso);
  });

  it.each(['not-a-date', '', '2026-02-29', '2026-02-30T00:00:00Z', '2026-13-01', '2026-01-01T24:00:00Z', '2026-01-01T10:00:00', '+275760-09-13T00:00:00Z', 'a\u0000b'])(
    'refuses %j',
    (text) => {
      expect(() => parseDateTime(text)).toThrow(/DateTime must be an ISO 8601 date-time/);
    },
  );
});
