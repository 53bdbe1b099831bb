import { Injectable } from '@nestjs/common';
import { can, Credits, DomainError } from '@sah/domain';
import { CreditPackage, CreditPackageChanges, CreditPackageRepository } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { AuditLog } from '../../../identity/application/audit-log.service';

/** Stripe's largest amount for a Checkout line in two-decimal currencies. */
const MAX_PRICE_CENTS = 99_999_999;
/** Stripe's smallest USD charge. */
const MIN_PRICE_CENTS = 50;

export interface CreditPackageUpdate {
  id: string;
  name?: string;
  /** Credits as the caller wrote them (at most 3 decimals). */
  credits?: number;
  priceCents?: number;
  active?: boolean;
}

/** The packages on sale: everyone signed in sees the active ones, admins see and edit all. */
@Injectable()
export class CreditPackages {
  constructor(
    private readonly packages: CreditPackageRepository,
    private readonly audit: AuditLog,
  ) {}

  list(principal: Principal, includeInactive: boolean): Promise<CreditPackage[]> {
    if (includeInactive && !can(principal.role, 'billing:manage')) {
      throw new DomainError('FORBIDDEN', 'Only billing administrators see inactive packages', {
        permission: 'billing:manage',
      });
    }
    return this.packages.list({ includeInactive });
  }

  /** The package a checkout sells, by code or id; unknown and withdrawn packages are refused alike. */
  async purchasable(reference: string): Promise<CreditPackage> {
    const found = await this.packages.find(reference.trim());
    if (!found || !found.active)
      throw DomainError.badInput(`No credit package "${reference}" is on sale`, { field: 'package' });
    return found;
  }

  async update(principal: Principal, update: CreditPackageUpdate): Promise<CreditPackage> {
    const changes = parseChanges(update);
    const updated = await this.packages.update(update.id, changes);
    if (!updated) throw DomainError.notFound('Credit package', { id: update.id });
    await this.audit.record(principal.userId, 'billing.package_updated', {
      targetType: 'credit_package',
      targetId: updated.id,
      details: { code: updated.code, ...changes, credits: changes.credits?.toNumber() },
    });
    return updated;
  }
}

function parseChanges(update: CreditPackageUpdate): CreditPackageChanges {
  const changes: CreditPackageChanges = {};
  if (update.name !== undefined) {
    const name = update.name.trim();
    if (name.length === 0 || name.length > 100)
      throw DomainError.badInput('name must be 1 to 100 characters', { field: 'name' });
    changes.name = name;
  }
  if (update.credits !== undefined) changes.credits = Credits.parsePositive(update.credits, 'credits');
  if (update.priceCents !== undefined) {
    if (
      !Number.isInteger(update.priceCents) ||
      update.priceCents < MIN_PRICE_CENTS ||
      update.priceCents > MAX_PRICE_CENTS
    ) {
      throw DomainError.badInput(
        `priceCents must be a whole number from ${MIN_PRICE_CENTS} to ${MAX_PRICE_CENTS}`,
        { field: 'priceCents' },
      );
    }
    changes.priceCents = update.priceCents;
  }
  if (update.active !== undefined) changes.active = update.active;
  if (Object.keys(changes).length === 0)
    throw DomainError.badInput('Nothing to change: give name, credits, priceCents or active');
  return changes;
}
