import { DomainError } from '../shared/domain-error';
import { parseStatementMonth } from './statement';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
}

describe('statement months', () => {
  it('spans a UTC calendar month, December into January', () => {
    expect(parseStatementMonth('2024-12')).toEqual({
      month: '2024-12',
      from: new Date('2024-12-01T00:00:00Z'),
      to: new Date('2025-01-01T00:00:00Z'),
    });
  });

  it.each(['2024-13', '2024-1', '24-01', '2024/01', '1999-12', ''])('refuses %p', (month) => {
    expect(codeOf(() => parseStatementMonth(month))).toBe('BAD_USER_INPUT');
  });
});
