import { Pipe, type PipeTransform } from '@angular/core';

import type { Role } from '../../core/auth/auth.types';
import { highestRole, ROLE_LABELS } from '../../core/auth/roles';

/** `['ADMIN']` → "Admin": an account's effective (highest) role, for people. */
@Pipe({ name: 'roleLabel' })
export class RoleLabelPipe implements PipeTransform {
  transform(roles: Role | readonly Role[] | null | undefined): string {
    const role = typeof roles === 'string' ? roles : highestRole(roles ?? []);
    return role ? ROLE_LABELS[role] : '—';
  }
}
