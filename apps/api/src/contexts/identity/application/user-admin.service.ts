import { Injectable } from '@nestjs/common';
import { DomainError, Role, User, UserRepository } from '@sah/domain';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { AuthStateCache } from '../auth/auth-state.cache';
import { ApiKeysService } from './api-keys.service';
import { AuditLog } from './audit-log.service';

/** What administrators do to other accounts. Every change is audited and applies on the next request. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly users: UserRepository,
    private readonly authState: AuthStateCache,
    private readonly audit: AuditLog,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async get(id: string): Promise<User> {
    // A malformed id cannot name a user: the same answer as an unknown one, not a database error.
    const user = isUUID(id) ? await this.users.findById(id) : null;
    if (!user) throw DomainError.notFound('User', { id });
    return user;
  }

  async assignRole(principal: Principal, userId: string, role: Role): Promise<User> {
    const user = await this.get(userId);
    const from = user.role;
    user.changeRole(role, { id: principal.userId, role: principal.role }, new Date());
    await this.users.save(user, user.pullEvents());
    await this.authState.invalidate(user.id);
    // The user is mailed on identity.role_changed, stored with the change (IdentityMails).
    await this.audit.record(principal.userId, 'user.role_assigned', { targetType: 'user', targetId: user.id, details: { from, to: role } });
    await this.apiKeys.suspendUngrantable(user.id, role, principal.userId);
    return user;
  }

  async setSuspended(principal: Principal, userId: string, suspended: boolean): Promise<User> {
    const user = await this.get(userId);
    const actor = { id: principal.userId, role: principal.role };
    if (suspended) user.suspend(actor, new Date());
    else user.reinstate(actor, new Date());
    await this.users.save(user, user.pullEvents());
    await this.authState.invalidate(user.id);
    await this.audit.record(principal.userId, suspended ? 'user.suspended' : 'user.reinstated', { targetType: 'user', targetId: user.id });
    return user;
  }
}
