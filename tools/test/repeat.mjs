#!/usr/bin/env node
// `npm run test:repeat -- <test file> [runs=10] [extra jest arguments]`: runs one jest test file
// again and again, in a row, and reports each run's result and time, so a flaky test shows up
// before it lands. Browser and process tests use the current build: build first
// (`npx nx run api:build`, `npx nx run admin:build`). The machine's load is printed with each run,
// since a run that fails only under load is still a failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const [file, runsArg = '10', ...jestArgs] = process.argv.slice(2);
const runs = Number(runsArg);

if (!file || !Number.isInteger(runs) || runs < 1) {
  fail('usage: npm run test:repeat -- <test file> [runs=10] [extra jest arguments]');
}
const testFile = resolve(process.cwd(), file);
if (!existsSync(testFile)) fail(`no such file: ${file}`);
const config = jestConfigFor(testFile);
if (!config) fail(`${file} is not under a project with a jest.config.cjs (only jest suites can be repeated)`);

const logDir = mkdtempSync(join(tmpdir(), 'test-repeat-'));
const jest = join(root, 'node_modules/.bin/jest');
const load = () => loadavg()[0].toFixed(1);
const results = [];

process.stdout.write(
  `${relative(root, testFile)}: ${runs} run(s), ${cpus().length} cores, load ${load()} at start; logs in ${logDir}\n`,
);
for (let run = 1; run <= runs; run++) {
  const started = Date.now();
  const { code, output } = await runJest(['-c', config, '--ci', testFile, ...jestArgs]);
  const seconds = (Date.now() - started) / 1000;
  const log = join(logDir, `run-${run}.log`);
  writeFileSync(log, output);
  const passed = code === 0;
  results.push({ passed, seconds });
  const failedTests = passed ? '' : ` — ${failedTestNames(output).join('; ') || 'see log'} (${log})`;
  process.stdout.write(
    `run ${run}/${runs}: ${passed ? 'PASS' : 'FAIL'} in ${seconds.toFixed(1)} s, load ${load()}${failedTests}\n`,
  );
}

const times = results.map((r) => r.seconds).sort((a, b) => a - b);
const failures = results.filter((r) => !r.passed).length;
process.stdout.write(
  `\n${failures ? 'FLAKY OR FAILING' : 'OK'}: ${runs - failures} passed, ${failures} failed of ${runs}; ` +
    `time min ${times[0].toFixed(1)} s, median ${times[Math.floor(times.length / 2)].toFixed(1)} s, ` +
    `max ${times[times.length - 1].toFixed(1)} s; load ${load()} at the end\n`,
);
process.exit(failures ? 1 : 0);

/** The nearest jest.config.cjs above the file, up to the workspace root. */
function jestConfigFor(path) {
  for (let dir = dirname(path); dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, 'jest.config.cjs');
    if (existsSync(candidate)) return candidate;
    if (dir === root) break;
  }
  return null;
}

function runJest(args) {
  return new Promise((done) => {
    const child = spawn(jest, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

/** jest marks each failed test with "●" and its describe/test names. */
function failedTestNames(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const names = [...plain.matchAll(/^\s*● (.+)$/gm)].map((match) => match[1].trim());
  return [...new Set(names)].filter((name) => !name.startsWith('Console'));
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
