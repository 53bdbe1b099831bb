import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// RFC 3339 date-time (seconds and fraction optional), or a bare date meaning its midnight UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * The instant a DateTime argument names, or an error: `new Date()` alone accepts "2026-02-30" (as
 * March 2nd) and turns "not-a-date" into an Invalid Date that only fails in the database.
 */
export function parseDateTime(text: string): Date {
  const match = DATE_TIME.exec(text);
  if (!match) throw invalid(text);
  const part = (index: number) => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const inRange = month >= 1 && month <= 12 && day >= 1 && day <= lastDay && hour <= 23 && minute <= 59 && second <= 59;
  const date = new Date(match[4] === undefined ? `${match[1]}-${match[2]}-${match[3]}T00:00:00Z` : text.replace(' ', 'T'));
  if (!inRange || Number.isNaN(date.getTime())) throw invalid(text);
  return date;
}

function invalid(text: string): GraphQLError {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return new GraphQLError(`DateTime must be an ISO 8601 date-time such as 2026-01-31T09:30:00Z, not ${JSON.stringify(shown)}`);
}

/**
 * Replaces Nest's DateTime (same name and description, so the schema is unchanged) with one that
 * refuses what is not a real date-time at parse time: the caller gets BAD_USER_INPUT.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be a string');
    return parseDateTime(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast });
    return parseDateTime(ast.value);
  },
});
