import { DomainError } from '../shared/domain-error';

/** A calendar month in UTC, the period of a credit statement: from its first instant up to the next month's. */
export interface StatementMonth {
  /** `YYYY-MM` */
  month: string;
  from: Date;
  to: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Parses `YYYY-MM`. Statements use UTC months so every reader gets the same figures. */
export function parseStatementMonth(input: string): StatementMonth {
  const match = MONTH.exec(input.trim());
  if (!match || Number(match[1]) < 2000) {
    throw DomainError.badInput('month must be a month written YYYY-MM, e.g. 2025-01', { field: 'month' });
  }
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  return { month: `${match[1]}-${match[2]}`, from: new Date(Date.UTC(year, monthIndex, 1)), to: new Date(Date.UTC(year, monthIndex + 1, 1)) };
}
