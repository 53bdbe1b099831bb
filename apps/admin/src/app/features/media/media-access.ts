import type { Permission } from '@sah/domain';

/**
 * Which permission opens which media page or view, as the API checks them: everyone who may call
 * models has their own jobs; administrators (`ai:manage`) see everyone's and edit the media models.
 */
export const MEDIA_ACCESS = {
  jobs: 'ai:use',
  everyonesJobs: 'ai:manage',
  models: 'ai:manage',
} as const satisfies Record<string, Permission>;
