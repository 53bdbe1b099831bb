import { EmailAddress } from '../identity/email-address';
import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';

/** Bulk adjustment files stay small enough to validate and post in one database transaction. */
export const ADJUSTMENT_CSV_LIMITS = { maxRows: 1000, maxBytes: 200 * 1024 } as const;
export const ADJUSTMENT_REASON_MAX_LENGTH = 500;
export const ADJUSTMENT_CSV_COLUMNS = ['user', 'amount', 'reason'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One data row of an adjustment file, as parsed; `error` says why it cannot be applied. */
export interface AdjustmentRow {
  /** Where the row starts in the file (the header is line 1). */
  line: number;
  /** The user column as given (trimmed): a user id or an e-mail address. */
  user: string;
  /** A signed amount; null when the column is not a valid non-zero amount. */
  amount: Credits | null;
  reason: string;
  error: string | null;
}

/** A row once its user is looked up: `userId` is null when the user is unknown (or out of reach). */
export interface CheckedAdjustment extends AdjustmentRow {
  userId: string | null;
}

export interface AdjustmentAccount {
  userId: string;
  /** What may be taken now (balance minus reserved credits); omitted: the ledger checks at posting. */
  available?: Credits;
}

export interface AdjustmentBatch {
  rows: CheckedAdjustment[];
  errorCount: number;
  valid: boolean;
  /** Sums over the valid rows, both as positive amounts. */
  totalCredit: Credits;
  totalDebit: Credits;
}

/** A reason for a manual credit change: required, trimmed, at most 500 characters. */
export function normalizeAdjustmentReason(input: string): string {
  const reason = input.trim();
  if (reason.length === 0) throw DomainError.badInput('A reason is required', { field: 'reason' });
  if (reason.length > ADJUSTMENT_REASON_MAX_LENGTH) {
    throw DomainError.badInput(`The reason must be at most ${ADJUSTMENT_REASON_MAX_LENGTH} characters`, { field: 'reason' });
  }
  return reason;
}

/** A signed, non-zero amount with at most 3 decimals; a leading `+` is accepted, as spreadsheets write it. */
export function parseAdjustmentAmount(input: unknown): Credits {
  const text = typeof input === 'string' ? input.trim().replace(/^\+/, '') : input;
  const amount = Credits.parse(text, 'amount', { allowNegative: true });
  if (amount.millis === 0n) throw DomainError.badInput('amount must not be zero', { field: 'amount' });
  return amount;
}

/**
 * Parses a bulk adjustment file: a header naming the columns `user,amount,reason` (any order, any
 * case), then one row per adjustment. Fields follow RFC 4180 (quotes around commas, `""` for a
 * quote). Problems with the file as a whole throw; problems with a row are reported on the row.
 */
export function parseAdjustmentCsv(csv: string): AdjustmentRow[] {
  const bytes = new TextEncoder().encode(csv).length;
  if (bytes > ADJUSTMENT_CSV_LIMITS.maxBytes) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${ADJUSTMENT_CSV_LIMITS.maxBytes / 1024} KB: split it`, {
      maxBytes: ADJUSTMENT_CSV_LIMITS.maxBytes,
      bytes,
    });
  }
  const records = csvRecords(csv.replace(/^\uFEFF/, '')).filter((record) => record.fields.some((field) => field.trim() !== ''));
  const header = records.shift();
  if (!header) throw DomainError.badInput('The file is empty: expected a header row "user,amount,reason"');
  const columns = columnIndexes(header.fields);
  if (records.length === 0) throw DomainError.badInput('The file has a header but no rows');
  if (records.length > ADJUSTMENT_CSV_LIMITS.maxRows) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `The file has ${records.length} rows; at most ${ADJUSTMENT_CSV_LIMITS.maxRows} are accepted: split it`, {
      maxRows: ADJUSTMENT_CSV_LIMITS.maxRows,
      rows: records.length,
    });
  }
  return records.map(({ line, fields }) => parseRow(line, fields, columns, header.fields.length));
}

/**
 * Checks parsed rows against the accounts they name. One row per user: a second row for the same
 * user (by id or e-mail) is refused, because a repeated row is far more often a copy-paste slip than
 * an intent, and one combined row is just as expressive. A debit may not take the account below zero.
 */
export function checkAdjustments(rows: readonly AdjustmentRow[], accountOf: (user: string) => AdjustmentAccount | undefined): AdjustmentBatch {
  const firstLineOf = new Map<string, number>();
  let totalCredit = Credits.ZERO;
  let totalDebit = Credits.ZERO;
  const checked = rows.map((row): CheckedAdjustment => {
    const account = row.user ? accountOf(row.user) : undefined;
    const userId = account?.userId ?? null;
    let error = row.error;
    if (!error && !account) error = 'Unknown user';
    if (!error && userId && firstLineOf.has(userId)) {
      error = `The same user is already on line ${firstLineOf.get(userId)}: one row per user`;
    }
    if (!error && account?.available && row.amount && account.available.plus(row.amount).millis < 0n) {
      error = `Would take the balance below zero (${account.available.toString()} available)`;
    }
    if (userId && !firstLineOf.has(userId)) firstLineOf.set(userId, row.line);
    if (!error && row.amount) {
      if (row.amount.isPositive()) totalCredit = totalCredit.plus(row.amount);
      else totalDebit = totalDebit.minus(row.amount);
    }
    return { ...row, userId, error };
  });
  const errorCount = checked.filter((row) => row.error !== null).length;
  return { rows: checked, errorCount, valid: errorCount === 0, totalCredit, totalDebit };
}

/** Whether the user column names a user by id (otherwise it is an e-mail address). */
export function isUserIdReference(user: string): boolean {
  return UUID.test(user);
}

function parseRow(line: number, fields: string[], columns: Record<(typeof ADJUSTMENT_CSV_COLUMNS)[number], number>, width: number): AdjustmentRow {
  const field = (name: keyof typeof columns) => (fields[columns[name]] ?? '').trim();
  const row: AdjustmentRow = { line, user: field('user'), amount: null, reason: field('reason'), error: null };
  const errors: string[] = [];
  if (fields.length !== width) errors.push(`Expected ${width} columns, found ${fields.length}`);
  if (!row.user) errors.push('user is missing');
  else if (!isUserIdReference(row.user) && !isEmail(row.user)) errors.push('user must be a user id or an e-mail address');
  try {
    row.amount = parseAdjustmentAmount(field('amount'));
  } catch (error) {
    errors.push(messageOf(error));
  }
  try {
    row.reason = normalizeAdjustmentReason(row.reason);
  } catch (error) {
    errors.push(messageOf(error));
  }
  return { ...row, error: errors.length > 0 ? errors.join('; ') : null };
}

function columnIndexes(header: string[]): Record<(typeof ADJUSTMENT_CSV_COLUMNS)[number], number> {
  const names = header.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(ADJUSTMENT_CSV_COLUMNS as readonly string[]).includes(name));
  const missing = ADJUSTMENT_CSV_COLUMNS.filter((name) => !names.includes(name));
  if (unknown.length > 0 || missing.length > 0 || new Set(names).size !== names.length) {
    throw DomainError.badInput(`The header row must name the columns user, amount and reason (found: ${names.join(', ')})`, {
      expected: [...ADJUSTMENT_CSV_COLUMNS],
      found: names,
    });
  }
  return { user: names.indexOf('user'), amount: names.indexOf('amount'), reason: names.indexOf('reason') };
}

function isEmail(text: string): boolean {
  try {
    EmailAddress.parse(text);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  throw error;
}

/** RFC 4180 records with the line each starts on; a quoted field may span lines. */
function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      quoteLine = line;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      records.push({ line: recordLine, fields: [...fields, field] });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) throw DomainError.badInput(`A quoted field opened on line ${quoteLine} is never closed`, { line: quoteLine });
  if (fields.length > 0 || field !== '') records.push({ line: recordLine, fields: [...fields, field] });
  return records;
}
