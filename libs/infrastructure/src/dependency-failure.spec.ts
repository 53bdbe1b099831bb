import { QueryFailedError } from 'typeorm';
import { failedDependency } from './dependency-failure';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('failedDependency', () => {
  it('names the database for its deadlines, wrapped by TypeORM or not', () => {
    const statementTimeout = withCode('canceling statement due to statement timeout', '57014');
    expect(failedDependency(new QueryFailedError('SELECT 1', [], statementTimeout))).toBe('database');
    expect(failedDependency(withCode('canceling statement due to lock timeout', '55P03'))).toBe('database');
    expect(failedDependency(new QueryFailedError('SELECT 1', [], new Error('Query read timeout')))).toBe('database');
    expect(failedDependency(new Error('timeout exceeded when trying to connect'))).toBe('database');
    expect(failedDependency(new Error('Connection terminated due to connection timeout'))).toBe('database');
    expect(failedDependency(new QueryFailedError('ROLLBACK', [], new Error('Client was closed and is not queryable')))).toBe('database');
  });

  it('names Redis for its command deadline and a client that queues nothing offline', () => {
    expect(failedDependency(new Error('Command timed out'))).toBe('redis');
    expect(failedDependency(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('redis');
  });

  it('calls a refused connection an unnamed service, found through causes', () => {
    expect(failedDependency(new Error('fetch failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED') }))).toBe('service');
  });

  it('leaves everything else alone: a wrong query is a bug, not an outage', () => {
    expect(failedDependency(new QueryFailedError('SELECT x', [], withCode('column "x" does not exist', '42703')))).toBeUndefined();
    expect(failedDependency(withCode('duplicate key value violates unique constraint', '23505'))).toBeUndefined();
    expect(failedDependency(new Error('boom'))).toBeUndefined();
    expect(failedDependency('Command timed out')).toBeUndefined();
  });
});
