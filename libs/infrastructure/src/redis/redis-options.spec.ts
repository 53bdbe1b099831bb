import { parseRedisUrl, reconnectDelay } from './redis-options';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials and database', () => {
    expect(parseRedisUrl('redis://user:p%40ss@cache.internal:6380/2')).toEqual({
      host: 'cache.internal',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: undefined,
    });
  });

  it('defaults the port and database, and turns on TLS for rediss://', () => {
    const options = parseRedisUrl('rediss://cache.internal');
    expect(options).toMatchObject({ port: 6379, db: 0, tls: {} });
  });

  it('refuses other protocols and bad databases', () => {
    expect(() => parseRedisUrl('http://cache.internal')).toThrow(/protocol/);
    expect(() => parseRedisUrl('redis://cache.internal/abc')).toThrow(/database/);
  });
});

describe('reconnectDelay', () => {
  it('backs off exponentially and never waits more than a second', () => {
    expect(reconnectDelay(0)).toBe(50);
    expect(reconnectDelay(3)).toBe(400);
    expect(reconnectDelay(30)).toBe(1_000);
  });
});
