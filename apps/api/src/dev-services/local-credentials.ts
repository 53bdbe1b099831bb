import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LocalCredentials {
  postgresPassword: string;
}

/**
 * The embedded PostgreSQL gets a random password on first start, kept beside its data (mode 0600),
 * so even a local development database never runs with a well-known password.
 */
export function localCredentials(dataDir: string): LocalCredentials {
  const file = join(dataDir, 'local-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalCredentials;
  mkdirSync(dataDir, { recursive: true });
  const credentials = { postgresPassword: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}
