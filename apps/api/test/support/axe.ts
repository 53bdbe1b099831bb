import { source as axeSource } from 'axe-core';
import type { Page } from 'playwright-core';

/** The impacts the backlog's definition of done (WCAG 2.1 AA) refuses. */
const BLOCKING = new Set(['serious', 'critical']);

/** Rules of the WCAG 2.1 A/AA levels plus axe's best practices (landmarks, headings, regions). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Waits until the page has settled as a reader would see it (no list loading, no entry animation
 * half way, no snack bar: one that starts to fade out while axe runs is measured half transparent and
 * fails colour contrast, as a webhooks-console run showed), then runs axe-core in it and returns its serious and critical violations, one line
 * each (`rule: help — selectors`), so `expect(…).toEqual([])` shows what to fix.
 *
 * axe's source is evaluated through the DevTools protocol rather than a `<script>` tag: the console's
 * Content-Security-Policy (served as in production) rightly refuses inline scripts.
 */
export async function seriousAccessibilityViolations(page: Page, timeout = 15_000): Promise<string[]> {
  await page.waitForFunction(
    () =>
      !document.querySelector(
        '[aria-busy="true"], mat-progress-spinner, .mdc-dialog--opening, .mdc-dialog--closing, .mat-mdc-snack-bar-container',
      ) &&
      document
        .getAnimations()
        .every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout },
  );
  // axe tells icon ligatures (the text of a mat-icon) from words by drawing them in the page's font.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
    },
    TAGS,
  );
  return violations
    .filter((violation) => violation.impact !== null && BLOCKING.has(violation.impact))
    .map(({ id, help, nodes }) => `${id}: ${help} — ${nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
