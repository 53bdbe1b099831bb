import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { can, DomainError, mustEnrolTwoFactor, Permission } from '@sah/domain';
import type { Request } from 'express';
import { AppConfig } from '../../../config/app-config';
import { PERMISSION_KEY, requestOf } from '../../../platform/auth/auth.decorators';
import { TwoFactorService } from '../two-factor/two-factor.service';

/**
 * Runs after the auth guard. With MFA_REQUIRED_FOR_ADMINS, an administrator's session reaches
 * administration (what a USER may not do) only once their second factor is on. Sign-in already asks
 * them to enrol; this covers sessions that began before: the policy switched on, a promotion, a reset.
 * API keys and VERIFIED codes are not sessions of the console and are left as they were.
 */
@Injectable()
export class AdminTwoFactorGuard implements CanActivate {
  /** One look-up per request, however many root fields it has. */
  private readonly enabled = new WeakMap<Request, Promise<boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly twoFactor: TwoFactorService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context) as Request | undefined;
    const principal = req?.principal;
    if (!req || principal?.via !== 'access_token') return true;
    if (!mustEnrolTwoFactor(principal.role, this.config.identity.mfaRequiredForAdmins)) return true;
    const targets = [context.getHandler(), context.getClass()];
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission || can('USER', permission)) return true;

    let enabled = this.enabled.get(req);
    if (!enabled) this.enabled.set(req, (enabled = this.twoFactor.isEnabled(principal.userId)));
    if (await enabled) return true;
    throw new DomainError(
      'FORBIDDEN',
      'Turn on two-factor authentication (My account → Security) before using administration',
      { reason: 'TWO_FACTOR_REQUIRED' },
    );
  }
}
