import type { Permission } from '@sah/domain';

import { MEDIA_ACCESS } from '../../media/media-access';
import { AI_ACCESS } from '../ai-access';

export interface AiTab {
  readonly label: string;
  /** material-symbols ligature name. */
  readonly icon: string;
  /** Child path under /ai, see ai.routes.ts. */
  readonly path: string;
  /** Shown only to roles holding it (the route is guarded by the same one). */
  readonly permission: Permission;
}

export const AI_TABS: readonly AiTab[] = [
  { label: 'Providers', icon: 'monitor_heart', path: 'health', permission: AI_ACCESS.manage },
  { label: 'Provider keys', icon: 'key', path: 'keys', permission: AI_ACCESS.manage },
  { label: 'Channels', icon: 'hub', path: 'channels', permission: AI_ACCESS.manage },
  { label: 'Models & prices', icon: 'sell', path: 'models', permission: AI_ACCESS.manage },
  { label: 'Media models', icon: 'movie_edit', path: 'media-models', permission: MEDIA_ACCESS.models },
  { label: 'Usage', icon: 'query_stats', path: 'usage', permission: AI_ACCESS.usage },
  { label: 'Playground', icon: 'chat', path: 'playground', permission: AI_ACCESS.playground },
];
