export interface StatementMonth {
  /** `YYYY-MM`, as the statements report takes it. */
  readonly value: string;
  readonly label: string;
}

/** This month and the `count - 1` before it, newest first. Statements cut months in UTC, so do these. */
export function statementMonths(now: Date, count = 12, locale = 'en-US'): StatementMonth[] {
  const label = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return Array.from({ length: count }, (_, back) => {
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    const value = `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`;
    return { value, label: label.format(first) };
  });
}
