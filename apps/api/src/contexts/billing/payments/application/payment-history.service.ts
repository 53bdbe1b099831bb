import { Injectable } from '@nestjs/common';
import { can, DomainError } from '@sah/domain';
import { PaymentFilter, PaymentPage, PaymentRepository } from '@sah/infrastructure';
import type { Principal } from '../../../../platform/auth/principal';

/** Payments as each caller may see them: billing administrators everyone's, others their own. */
@Injectable()
export class PaymentHistory {
  constructor(private readonly payments: PaymentRepository) {}

  list(
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
    return this.payments.list({ ...filter, userId: principal.userId }, page);
  }
}
