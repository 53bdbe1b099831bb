import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { codeForStatus, toRestError } from './rest-error';

describe('toRestError', () => {
  it('maps domain errors by their code', () => {
    expect(toRestError(new DomainError('INSUFFICIENT_CREDITS', 'Not enough credits', { balance: 2 }))).toEqual({
      status: 402,
      code: 'INSUFFICIENT_CREDITS',
      message: 'Not enough credits',
      details: { balance: 2 },
    });
  });

  it('maps Nest HTTP exceptions by status and keeps validation messages as details', () => {
    expect(toRestError(new NotFoundException('Cannot GET /nope'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(toRestError(new PayloadTooLargeException())).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(toRestError(new BadRequestException(['name must be a string']))).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message: 'Invalid input',
      details: { errors: ['name must be a string'] },
    });
  });

  it('hides the message of unexpected errors', () => {
    expect(toRestError(new Error('password=hunter2 leaked in a driver message'))).toEqual({
      status: 500,
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
    });
  });

  it('falls back sensibly for statuses without a named code', () => {
    expect(codeForStatus(418)).toBe('BAD_USER_INPUT');
    expect(codeForStatus(502)).toBe('INTERNAL_SERVER_ERROR');
  });
});
