import type { Permission } from '@sah/domain';

/**
 * Which permission opens which AI page, as the API checks them. Everyone who may call models has the
 * playground and their own usage (managers see their teams', admins everyone's: the API scopes it);
 * providers, keys and the model catalogue are for admins.
 */
export const AI_ACCESS = {
  use: 'ai:use',
  usage: 'ai:use',
  playground: 'ai:use',
  manage: 'ai:manage',
} as const satisfies Record<string, Permission>;
