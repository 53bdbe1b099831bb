import { Injectable } from '@nestjs/common';
import { can, DomainError } from '@sah/domain';
import { PaymentFilter, PaymentPage, PaymentRepository } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';
import { TeamWalletAccess } from '../../team-wallets/team-wallet-access';

/**
 * Payments as each caller may see them: billing administrators everyone's, others their own (those
 * they made for a team included). A team's purchases, whoever paid, are for its managers, who fund
 * it; its other members see the credits arrive in the wallet's history, not the payments.
 */
@Injectable()
export class PaymentHistory {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly teamAccess: TeamWalletAccess,
  ) {}

  async list(
    principal: Principal,
    filter: PaymentFilter,
    page: { offset: number; limit: number },
  ): Promise<PaymentPage> {
    if (can(principal.role, 'billing:manage')) return this.payments.list(filter, page);
    if (filter.userId && filter.userId !== principal.userId) {
      throw new DomainError('FORBIDDEN', 'You can only see your own payments', {
        permission: 'billing:manage',
      });
    }
    if (filter.teamId) {
      const reach = await this.teamAccess.reach(principal, filter.teamId);
      if (!reach.manages) throw DomainError.notFound('Team', { teamId: filter.teamId });
      return this.payments.list(filter, page);
    }
    return this.payments.list({ ...filter, userId: principal.userId }, page);
  }
}
