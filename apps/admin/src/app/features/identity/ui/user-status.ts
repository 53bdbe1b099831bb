import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import type { UserStatus } from '../data-access/identity.types';

export const USER_STATUS_LABELS: Readonly<Record<UserStatus, string>> = {
  active: 'Active',
  suspended: 'Suspended',
};

/** A suspended account is shown as an error. */
export const USER_STATUS_TONES: Readonly<Record<UserStatus, StatusTone>> = {
  active: 'good',
  suspended: 'bad',
};
