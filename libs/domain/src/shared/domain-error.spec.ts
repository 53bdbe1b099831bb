import { DomainError, isDomainError } from './domain-error';

describe('DomainError', () => {
  it('carries its code, message and details', () => {
    const error = DomainError.notFound('User', { id: 'u1' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('User not found');
    expect(error.details).toEqual({ id: 'u1' });
  });

  it('is recognised by the type guard, plain errors are not', () => {
    expect(isDomainError(DomainError.badInput('nope'))).toBe(true);
    expect(isDomainError(new Error('nope'))).toBe(false);
    expect(isDomainError({ code: 'NOT_FOUND', message: 'fake' })).toBe(false);
  });
});
