import { createEmptyDatabase } from '@sah/infrastructure/testing';
import { chmodSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, BUILT_MAIN, copyBuiltAppInto, freePort, startProcess } from './support/api-process';
import { requiredEnv } from './support/test-app';

/** The built API run as a real process, the way `npm start` runs it. */
describe('the API process', () => {
  beforeAll(assertBuilt);

  it('exits 1 at once with one line naming a bad variable', async () => {
    const started = Date.now();
    const run = startProcess([BUILT_MAIN], { PORT: 'abc' });
    expect(await run.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.output()).toBe('Invalid configuration: PORT=abc (expected an integer from 1 to 65535)\n');
  });

  it('--check-config (run first by npm start) validates without starting anything', async () => {
    const good = startProcess([BUILT_MAIN, '--check-config'], { PORT: '8080', DATA_DIR: join(tmpdir(), 'sah-never-created') });
    expect(await good.exited).toBe(0);
    expect(good.output()).toBe('');

    const bad = startProcess([BUILT_MAIN, '--check-config'], { WORKERS: 'maybe' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toBe('Invalid configuration: WORKERS=maybe (expected one of inline, off)\n');
  });

  it('without REDIS_URL and without a redis-server on PATH, exits with one line saying how to get Redis', async () => {
    const run = startProcess([BUILT_MAIN], {
      PATH: '/nonexistent',
      PORT: String(await freePort()),
      DATABASE_URL: requiredEnv('TEST_DATABASE_URL'),
      LOCAL_REDIS_PORT: String(await freePort()),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/^Start-up failed: Redis is not available: set REDIS_URL=redis:\/\/HOST:6379, or install redis-server .*\n$/);
  });

  it('migrates an empty database on start, applies none on restart, and stops cleanly on SIGTERM', async () => {
    const database = await createEmptyDatabase('process');
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: requiredEnv('TEST_REDIS_URL'),
      REDIS_KEY_PREFIX: `${requiredEnv('TEST_REDIS_PREFIX')}process:`,
      ADMIN_DIST_DIR: join(tmpdir(), 'sah-no-console'),
    };
    try {
      const first = startProcess([BUILT_MAIN, '--migrate'], env);
      await first.waitFor(/ready: API/, 30_000);
      expect(first.output()).toMatch(/applied \d+ migration\(s\)/);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain('shutdown complete');

      const second = startProcess([BUILT_MAIN, '--migrate'], env);
      await second.waitFor(/ready: API/, 30_000);
      expect(second.output()).toContain('database schema is up to date');
      expect(second.output()).not.toMatch(/applied \d+ migration\(s\)/);
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    } finally {
      await database.drop();
    }
    // Room for both starts' 30 s waits (jest's default 30 s for the whole test was not).
  }, 90_000);

  /** Folders made by a test, removed after it. */
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function newDir(mode: number): string {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'sah-home-')));
    chmodSync(dir, mode);
    made.push(dir);
    return dir;
  }

  /** The built app copied into `home`, as a clone there would have it. */
  function cloneIn(home: string): { dir: string; main: string } {
    const dir = join(home, 'smart-ai-hub');
    return { dir, main: copyBuiltAppInto(dir) };
  }

  it('with nothing configured, starts embedded PostgreSQL and a local redis-server, and reuses the data', async () => {
    // As root, PostgreSQL runs as the `postgres` user, who must be able to enter the folders of its
    // binaries and data: the app runs from a copy in a folder everyone may enter, wherever this
    // workspace was cloned (under /root, say).
    const clone = cloneIn(newDir(0o755));
    const port = await freePort();
    const env = {
      PORT: String(port),
      LOCAL_POSTGRES_PORT: String(await freePort()),
      LOCAL_REDIS_PORT: String(await freePort()),
      ADMIN_DIST_DIR: join(tmpdir(), 'sah-no-console'),
    };
    for (const expected of [/applied \d+ migration\(s\)/, /database schema is up to date/]) {
      const run = startProcess([clone.main, '--migrate'], env, clone.dir);
      await run.waitFor(/ready: API/, 90_000);
      expect(run.output()).toMatch(expected);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await health.json()).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  }, 180_000);

  /**
   * A folder the `postgres` user cannot enter (mode 0700, as /root is): as root, start-up stops at
   * once with one line saying what to do. Not root, that user plays no part and the API starts.
   */
  async function expectStartBlocked(
    clone: { dir: string; main: string },
    env: Record<string, string>,
    expectedLine: string,
  ): Promise<void> {
    const port = await freePort();
    const started = Date.now();
    const fullEnv = {
      PORT: String(port),
      LOCAL_POSTGRES_PORT: String(await freePort()),
      REDIS_URL: requiredEnv('TEST_REDIS_URL'),
      REDIS_KEY_PREFIX: `${requiredEnv('TEST_REDIS_PREFIX')}process-private:`,
      ADMIN_DIST_DIR: join(tmpdir(), 'sah-no-console'),
      ...env,
    };
    const run = startProcess([clone.main, '--migrate'], fullEnv, clone.dir);
    if (process.getuid?.() === 0) {
      expect(await run.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(run.output()).toBe(`Start-up failed: ${expectedLine}\n`);
    } else {
      await run.waitFor(/ready: API/, 90_000);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  }

  const cannotEnter = (dir: string, move: string) =>
    `embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir} (mode 700): ` +
    `set DATABASE_URL to a PostgreSQL server, move ${move} out of ${dir}, or start as a non-root user`;

  it('from a clone inside a 0700 folder (as under /root) with nothing configured: as root, one line naming the fix', async () => {
    const home = newDir(0o700);
    await expectStartBlocked(cloneIn(home), {}, cannotEnter(home, 'the clone'));
  }, 180_000);

  it('with DATA_DIR inside a 0700 folder: as root, one line naming the fix', async () => {
    const elsewhere = newDir(0o700);
    const env = { DATA_DIR: join(elsewhere, 'data') };
    await expectStartBlocked(cloneIn(newDir(0o755)), env, cannotEnter(elsewhere, 'DATA_DIR'));
  }, 180_000);
});
