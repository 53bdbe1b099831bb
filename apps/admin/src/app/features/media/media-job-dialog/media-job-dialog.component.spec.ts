import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA } from '@angular/material/dialog';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { MediaJob } from '../data-access/media.types';
import { aMediaJob } from '../testing/media-fixtures';
import { MediaJobDialogComponent } from './media-job-dialog.component';

/** A finished image job, moderated and passed. */
const aJob = (overrides: Partial<MediaJob> = {}): MediaJob =>
  aMediaJob({
    status: 'SUCCEEDED',
    moderation: { flagged: false, categories: [] },
    updatedAt: '2026-12-04T09:00:05.000Z',
    finishedAt: '2026-12-04T09:00:05.000Z',
    ...overrides,
  });

describe('MediaJobDialogComponent', () => {
  /** The dialog for `opened`, once its own fetch of the job answered `fetched`. */
  async function render(opened: MediaJob, fetched: MediaJob = opened): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [{ provide: MAT_DIALOG_DATA, useValue: { job: signal<MediaJob | null>(null), opened } }],
    });
    const fixture = TestBed.createComponent(MediaJobDialogComponent);
    const apollo = TestBed.inject(ApolloTestingController);
    (await vi.waitFor(() => apollo.expectOne('MediaJob'))).flushData({ mediaJob: fetched });
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const shape = (root: HTMLElement) => root.querySelector('[data-testid="media-job-result-shape"]')?.textContent?.trim() ?? null;

  it('shows an image result’s pixels, read from the file', async () => {
    const root = await render(
      aJob({ result: { url: 'https://hub.example/f/1', contentType: 'image/png', size: 2048, width: 1536, height: 1024, durationSeconds: null } }),
    );
    expect(shape(root)).toBe('1536 × 1024 px');
    expect(root.querySelector<HTMLImageElement>('[data-testid="media-job-image"]')?.src).toBe('https://hub.example/f/1');
  });

  it('shows a video result’s length as the provider reported it, and nothing when it reported none', async () => {
    const video = aJob({ kind: 'VIDEO', model: 'sora-2', seconds: 8, credits: 30 });
    const reported = { url: 'https://hub.example/f/2', contentType: 'video/mp4', size: 4096, width: null, height: null, durationSeconds: 8 };
    expect(shape(await render(video, { ...video, result: reported }))).toBe('8 s');
    TestBed.resetTestingModule();
    expect(shape(await render(video, { ...video, result: { ...reported, durationSeconds: null } }))).toBeNull();
  });
});
