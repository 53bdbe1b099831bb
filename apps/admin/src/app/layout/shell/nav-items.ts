import type { Permission } from '@sah/domain';

import { AI_ACCESS } from '../../features/ai/ai-access';
import { BILLING_ACCESS } from '../../features/billing/billing-access';
import { MEDIA_ACCESS } from '../../features/media/media-access';

export interface NavItem {
  readonly label: string;
  /** material-symbols ligature name. */
  readonly icon: string;
  /** Child path under the shell route, see app.routes.ts. */
  readonly path: string;
  /** Shown only to roles holding this permission (the route is guarded by the same one). */
  readonly permission?: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Dashboard', icon: 'dashboard', path: 'dashboard' },
  { label: 'Users', icon: 'group', path: 'users', permission: 'users:manage' },
  { label: 'Teams', icon: 'groups', path: 'teams' },
  { label: 'Credits', icon: 'toll', path: 'credits', permission: BILLING_ACCESS.ledger },
  { label: 'Promo codes', icon: 'redeem', path: 'promo-codes', permission: BILLING_ACCESS.promoCodes },
  { label: 'Payments', icon: 'payments', path: 'payments', permission: BILLING_ACCESS.payments },
  { label: 'Plans', icon: 'workspace_premium', path: 'plans', permission: BILLING_ACCESS.plans },
  { label: 'AI', icon: 'smart_toy', path: 'ai', permission: AI_ACCESS.use },
  { label: 'Media jobs', icon: 'movie', path: 'media-jobs', permission: MEDIA_ACCESS.jobs },
  { label: 'Webhooks', icon: 'webhook', path: 'webhooks', permission: 'webhooks:manage' },
  { label: 'Failed mails', icon: 'unsubscribe', path: 'failed-mails', permission: 'users:manage' },
  { label: 'Audit log', icon: 'manage_history', path: 'audit-log', permission: 'audit:read' },
];
