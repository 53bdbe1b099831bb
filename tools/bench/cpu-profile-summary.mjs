#!/usr/bin/env node
// Summarises a `node --cpu-prof` profile by where self time goes: one category per npm package
// (pg, typeorm, pino, ioredis, express, @nestjs/*…), Node's own internals, GC, the hub's code by
// folder, and idle. `node tools/bench/cpu-profile-summary.mjs CPU.…cpuprofile [top frames] [--window FROM-TO]`.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
// --window FROM-TO (monotonic µs, as the pinned bench prints them): only the samples of that load run.
const windowAt = args.indexOf('--window');
const [from, to] = windowAt >= 0 ? args.splice(windowAt, 2)[1].split('-').map(Number) : [0, Infinity];
const [file, topArg] = args;
if (!file) {
  console.error('usage: cpu-profile-summary.mjs <file.cpuprofile> [number of top frames] [--window FROM-TO]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
// Samples are taken at intervals given by timeDeltas (µs), from startTime on the monotonic clock.
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

function category(frame) {
  const { functionName, url } = frame.callFrame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8/native (program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1].startsWith('@nestjs/') ? '@nestjs/*' : pkg[1];
  if (url.startsWith('node:') || (!url.includes('/') && url)) return `node:${url.replace(/^node:/, '').split('/')[0]}`;
  const hub = /dist\/apps\/api\/(?:apps\/api\/src|libs)\/(.+)$/.exec(url);
  if (hub) {
    const parts = hub[1].split('/');
    return `hub ${parts.slice(0, Math.min(3, parts.length - 1)).join('/')}`;
  }
  return url ? 'other' : `native ${functionName || '(anonymous)'}`;
}

const categories = new Map();
const frames = new Map();
let total = 0;
for (const [id, time] of self) {
  const frame = byId.get(id);
  const name = category(frame);
  categories.set(name, (categories.get(name) ?? 0) + time);
  const key = `${frame.callFrame.functionName || '(anonymous)'} ${frame.callFrame.url.replace(/.*node_modules\//, '')}:${frame.callFrame.lineNumber + 1}`;
  frames.set(key, (frames.get(key) ?? 0) + time);
  total += time;
}
const busy = total - (categories.get('idle') ?? 0);
const pct = (time, of) => `${((100 * time) / of).toFixed(1)} %`;
console.log(`profile: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (${pct(busy, total)})`);
console.log('\n| self time by category | ms | of busy |');
console.log('| --- | ---: | ---: |');
for (const [name, time] of [...categories].filter(([name]) => name !== 'idle').sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`| ${name} | ${(time / 1000).toFixed(0)} | ${pct(time, busy)} |`);
}
console.log('\n| top self-time frames | ms | of busy |');
console.log('| --- | ---: | ---: |');
for (const [name, time] of [...frames].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) {
  console.log(`| ${name} | ${(time / 1000).toFixed(0)} | ${pct(time, busy)} |`);
}
