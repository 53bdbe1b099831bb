import type { MediaJob } from '../data-access/media.types';

/** A queued image job as the API sends it; tests override what they are about. */
export function aMediaJob(overrides: Partial<MediaJob> = {}): MediaJob {
  return {
    id: 'j1',
    userId: 'u1',
    kind: 'IMAGE',
    status: 'QUEUED',
    model: 'gpt-image-1',
    provider: 'openai',
    prompt: 'a lighthouse at dawn',
    size: '1024x1024',
    n: 1,
    seconds: null,
    credits: 50,
    attempts: 0,
    moderation: null,
    result: null,
    error: null,
    createdAt: '2026-12-04T09:00:00.000Z',
    updatedAt: '2026-12-04T09:00:00.000Z',
    deadlineAt: '2026-12-04T09:10:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}
