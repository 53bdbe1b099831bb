import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import type { TestApp } from './test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this sandboxed machine needs. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...extraArgs],
  });
}

/** Browser tests drive the built console that the API serves: fail clearly when it is missing. */
export function assertConsoleBuilt(api: TestApp): void {
  if (!existsSync(`${api.config.adminConsoleDir}/index.html`)) {
    throw new Error('The admin console is not built: run `npx nx build admin` first (npm test does)');
  }
}
