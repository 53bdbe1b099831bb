import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';
import {
  ADJUSTMENT_CSV_LIMITS,
  AdjustmentAccount,
  checkAdjustments,
  normalizeAdjustmentReason,
  parseAdjustmentAmount,
  parseAdjustmentCsv,
} from './adjustment-csv';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
}

describe('bulk adjustment files', () => {
  it('parses rows with quoted fields, CRLF, a BOM, a leading + and blank lines', () => {
    const rows = parseAdjustmentCsv(
      `\uFEFFuser,amount,reason\r\n${ALICE},+10.5,"Goodwill, after outage"\r\n\r\nbob@example.com,-2,"said ""sorry"""\r\n`,
    );
    expect(rows).toEqual([
      { line: 2, user: ALICE, amount: Credits.parse('10.5'), reason: 'Goodwill, after outage', error: null },
      { line: 4, user: 'bob@example.com', amount: Credits.parse('-2', 'amount', { allowNegative: true }), reason: 'said "sorry"', error: null },
    ]);
  });

  it('accepts the columns in any order and case, and counts lines through multi-line quoted fields', () => {
    const rows = parseAdjustmentCsv(`Reason,USER,Amount\n"two\nlines",${ALICE},1\nthird,${BOB},2\n`);
    expect(rows.map((row) => [row.line, row.user, row.reason])).toEqual([
      [2, ALICE, 'two\nlines'],
      [4, BOB, 'third'],
    ]);
  });

  it('reports each row’s own problems on the row', () => {
    const rows = parseAdjustmentCsv(
      [
        'user,amount,reason',
        `${ALICE},0,zero`,
        `${ALICE},1.2345,too precise`,
        `${ALICE},1e3,exponent`,
        `,5,no user`,
        `not-a-user,5,bad user`,
        `${ALICE},5,   `,
        `${ALICE},5`,
        `${ALICE},5,${'x'.repeat(501)}`,
      ].join('\n'),
    );
    expect(rows.map((row) => row.error)).toEqual([
      'amount must not be zero',
      'amount must be a number with at most 3 decimals',
      'amount must be a number with at most 3 decimals',
      'user is missing',
      'user must be a user id or an e-mail address',
      'A reason is required',
      'Expected 3 columns, found 2; A reason is required',
      'The reason must be at most 500 characters',
    ]);
  });

  it('refuses a file without the right header, without rows, or with an unclosed quote', () => {
    expect(codeOf(() => parseAdjustmentCsv(''))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseAdjustmentCsv('user,amount\nx,1'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseAdjustmentCsv('user,amount,reason,extra\nx,1,r,e'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseAdjustmentCsv('user,amount,reason\n'))).toBe('BAD_USER_INPUT');
    expect(() => parseAdjustmentCsv(`user,amount,reason\n${ALICE},1,"open`)).toThrow(/line 2 is never closed/);
  });

  it('refuses files over the row and size limits', () => {
    const row = `${ALICE},1,r\n`;
    expect(codeOf(() => parseAdjustmentCsv(`user,amount,reason\n${row.repeat(ADJUSTMENT_CSV_LIMITS.maxRows)}`))).toBeUndefined();
    expect(codeOf(() => parseAdjustmentCsv(`user,amount,reason\n${row.repeat(ADJUSTMENT_CSV_LIMITS.maxRows + 1)}`))).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf(() => parseAdjustmentCsv(`user,amount,reason\n${ALICE},1,${'r'.repeat(ADJUSTMENT_CSV_LIMITS.maxBytes)}`))).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });
});

describe('checking adjustments against accounts', () => {
  const accounts: Record<string, AdjustmentAccount> = {
    [ALICE]: { userId: ALICE, available: Credits.whole(10) },
    'alice@example.com': { userId: ALICE, available: Credits.whole(10) },
    [BOB]: { userId: BOB, available: Credits.whole(3) },
  };
  const accountOf = (user: string) => accounts[user];

  it('totals the valid rows and finds unknown users, second rows for a user and debits below zero', () => {
    const batch = checkAdjustments(
      parseAdjustmentCsv(
        [
          'user,amount,reason',
          `${ALICE},-10,all of it`,
          `alice@example.com,5,same user by e-mail`,
          `${BOB},-3.001,too much`,
          `nobody@example.com,1,unknown`,
          `${BOB},abc,bad amount`,
        ].join('\n'),
      ),
      accountOf,
    );
    expect(batch.rows.map((row) => [row.userId, row.error])).toEqual([
      [ALICE, null],
      [ALICE, 'The same user is already on line 2: one row per user'],
      [BOB, 'Would take the balance below zero (3 available)'],
      [null, 'Unknown user'],
      [BOB, 'amount must be a number with at most 3 decimals'],
    ]);
    expect(batch).toMatchObject({ valid: false, errorCount: 4, totalCredit: Credits.ZERO, totalDebit: Credits.whole(10) });
  });

  it('is valid when every row is, and leaves the balance check to the ledger when balances are not given', () => {
    const rows = parseAdjustmentCsv(`user,amount,reason\n${ALICE},2.5,a\n${BOB},-100,b`);
    expect(checkAdjustments(rows, accountOf).valid).toBe(false);
    const batch = checkAdjustments(rows, (user) => accounts[user] && { userId: accounts[user].userId });
    expect(batch).toMatchObject({ valid: true, errorCount: 0, totalCredit: Credits.parse('2.5'), totalDebit: Credits.whole(100) });
  });
});

describe('single adjustment inputs', () => {
  it('takes signed amounts with at most 3 decimals, not zero', () => {
    expect(parseAdjustmentAmount(-1.25).toString()).toBe('-1.25');
    expect(parseAdjustmentAmount('+7').toString()).toBe('7');
    expect(codeOf(() => parseAdjustmentAmount(0))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parseAdjustmentAmount(0.1 + 0.2))).toBe('BAD_USER_INPUT');
  });

  it('trims reasons and requires one of at most 500 characters', () => {
    expect(normalizeAdjustmentReason('  refund for outage ')).toBe('refund for outage');
    expect(codeOf(() => normalizeAdjustmentReason(' \n '))).toBe('BAD_USER_INPUT');
    expect(normalizeAdjustmentReason('x'.repeat(500))).toHaveLength(500);
    expect(codeOf(() => normalizeAdjustmentReason('x'.repeat(501)))).toBe('BAD_USER_INPUT');
  });
});
