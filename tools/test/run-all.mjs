#!/usr/bin/env node
// `npm test`: lint and type checks, then every test target (unit, integration against the real
// PostgreSQL and Redis, admin unit tests, browser tests), through Nx. Exit code 0 only if all pass.
import { spawn } from 'node:child_process';

const steps = [
  { name: 'lint and type checks', args: ['run-many', '-t', 'lint', 'typecheck'] },
  // One project at a time: the API suites already use both cores.
  { name: 'tests', args: ['run-many', '-t', 'test', '--parallel=1'] },
];

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const totals = { passed: 0, failed: 0 };
let failedSteps = 0;

for (const step of steps) {
  process.stdout.write(`\n=== ${step.name} ===\n`);
  const { code, output } = await run('npx', ['nx', ...step.args, '--output-style=static', '--skip-nx-cache'], env);
  count(output);
  if (code !== 0) failedSteps++;
}

process.stdout.write(`\n${failedSteps ? 'FAILED' : 'OK'}: ${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(failedSteps ? 1 : 0);

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Adds up the closing lines of jest ("Tests: 1 failed, 9 passed, 10 total") and vitest ("Tests  9 passed (9)"). */
function count(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  for (const line of plain.split('\n')) {
    const summary = /^\s*Tests:?\s+(.*)$/.exec(line);
    if (!summary) continue;
    totals.passed += Number(/(\d+) passed/.exec(summary[1])?.[1] ?? 0);
    totals.failed += Number(/(\d+) failed/.exec(summary[1])?.[1] ?? 0);
  }
}
