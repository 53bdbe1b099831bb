import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES } from '@sah/infrastructure';
import type { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { fund } from './support/billing-fixtures';
import { waitForDialogOpen } from './support/console-lists';
import { signIn, startConsole, watchProblems } from './support/console-session';
import { FakeMediaOpenAI, FAKE_PNG } from './support/fake-media-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 20_000;

/**
 * The public address in front of the API, as a reverse proxy would be: the console and the signed
 * links to result files (absolute on APP_URL) are both reached through it. Its port is known before
 * the API starts, so APP_URL can name it.
 */
class FrontDoor {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  target = 0;
  url = '';

  async start(): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * The console's Media jobs page in headless Chromium, against the real API whose media adapters talk
 * to a local fake of OpenAI's images, videos and moderation endpoints: a job's status changes arrive
 * over the `mediaJobUpdated` subscription with no reload, and its detail shows the image or a player.
 */
describe('admin console: media jobs in a browser', () => {
  let fake: FakeMediaOpenAI;
  let front: FrontDoor;
  let storageDir: string;
  let api: TestApp;
  let browser: Browser;
  let imageQueue: Queue;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    front = await new FrontDoor().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-console-'));
    ({ api, browser } = await startConsole({
      ...fake.env(),
      APP_URL: front.url,
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_POLL_INTERVAL_MS: '50',
      MEDIA_RETRY_BASE_MS: '50',
    }));
    front.target = Number(new URL(api.url).port);
    imageQueue = api.app.get<Queue>(getQueueToken(QUEUES.mediaImage));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await imageQueue?.resume().catch(() => undefined);
    await api?.close();
    await front?.stop();
    await fake?.stop();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  });

  async function createJob(token: string, kind: 'image' | 'video', prompt: string): Promise<string> {
    const mutation =
      kind === 'image'
        ? 'mutation ($prompt: String!) { job: createImageJob(input: { prompt: $prompt, size: "1024x1024" }) { id } }'
        : 'mutation ($prompt: String!) { job: createVideoJob(input: { prompt: $prompt, seconds: 4 }) { id } }';
    return dataOf(await gql<{ job: { id: string } }>(api.url, mutation, { prompt }, token)).job.id;
  }

  const row = (page: Page, id: string, status?: string) =>
    page.locator(`[data-testid="media-job-row"][data-id="${id}"]${status ? `[data-status="${status}"]` : ''}`);

  /**
   * Waits until the page's subscription delivers: a job moderation rejects (free, and not on the
   * paused image queue) is created until one shows up in the table without a reload. Until the
   * subscription is live server-side, a change is not pushed; after that, every one is.
   */
  async function waitForLiveUpdates(page: Page, token: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT;
    for (;;) {
      const id = await createJob(token, 'video', 'FLAGGED warm-up');
      const shown = await row(page, id, 'FAILED')
        .waitFor({ state: 'visible', timeout: 2_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) return;
      if (Date.now() > deadline) throw new Error('the media jobs page never received a live update');
    }
  }

  it('shows a job move from queued to succeeded without a reload, with its image, and a video with a player', async () => {
    const user = await createSignedInUser(api);
    await fund(api, user.userId, 1000);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, front.url, user.email, UI_TIMEOUT);
      await page.getByTestId('nav-item').filter({ hasText: 'Media jobs' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/media-jobs', { timeout: UI_TIMEOUT });
      await page.getByTestId('media-jobs-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // Survives only as long as the document: a reload would drop it.
      await page.evaluate(() => Object.assign(window, { sahNoReload: true }));

      await waitForLiveUpdates(page, user.accessToken);

      // Held on the paused queue, the job stays QUEUED until the queue resumes.
      await imageQueue.pause();
      const imageJob = await createJob(user.accessToken, 'image', 'a lighthouse at dawn');
      await row(page, imageJob, 'QUEUED').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(row(page, imageJob).getByTestId('media-job-row-status').textContent()).resolves.toContain('Queued');

      await imageQueue.resume();
      await row(page, imageJob, 'SUCCEEDED').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(row(page, imageJob).getByTestId('media-job-row-status').textContent()).resolves.toContain('Succeeded');
      expect(await page.evaluate(() => (window as unknown as { sahNoReload?: boolean }).sahNoReload)).toBe(true);

      await row(page, imageJob).click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      const detail = page.getByTestId('media-job-detail');
      await detail.and(page.locator('[data-status="SUCCEEDED"]')).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(detail.getByTestId('media-job-prompt').textContent()).resolves.toBe('a lighthouse at dawn');
      await expect(detail.getByTestId('media-job-moderation').textContent()).resolves.toContain('Passed');
      await expect(detail.getByTestId('media-job-cost').textContent()).resolves.toMatch(/50 credits · Charged/);
      await expect(detail.getByTestId('media-job-provider').textContent()).resolves.toMatch(/\S/);
      const image = detail.getByTestId('media-job-image');
      await image.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      // The file itself, loaded from the signed link: the fake's 1×1 PNG, decoded.
      await page.waitForFunction(
        () => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="media-job-image"]');
          return !!img && img.complete && img.naturalWidth === 1;
        },
        undefined,
        { timeout: UI_TIMEOUT },
      );
      const src = (await image.getAttribute('src')) ?? '';
      expect(src.startsWith(`${front.url}/api/v1/media/files/${imageJob}/0?`)).toBe(true);
      const file = await fetch(src);
      expect(Buffer.from(await file.arrayBuffer())).toEqual(FAKE_PNG);
      await page.getByTestId('media-job-close').click();
      await detail.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

      const videoJob = await createJob(user.accessToken, 'video', 'waves on a beach');
      await row(page, videoJob, 'SUCCEEDED').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await row(page, videoJob).click();
      await waitForDialogOpen(page, UI_TIMEOUT);
      const video = page.getByTestId('media-job-detail').locator('video[data-testid="media-job-video"]');
      await video.waitFor({ state: 'attached', timeout: UI_TIMEOUT });
      expect(await video.getAttribute('src')).toMatch(new RegExp(`^${front.url}/api/v1/media/files/${videoJob}/0\\?`));
      await expect(page.getByTestId('media-job-cost').textContent()).resolves.toMatch(/30 credits · Charged/);
      expect(await page.evaluate(() => (window as unknown as { sahNoReload?: boolean }).sahNoReload)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
    // Three jobs through moderation, the queue and storage, each waited for in the page.
  }, 120_000);
});
