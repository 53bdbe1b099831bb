import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../../platform/auth/auth.decorators';
import type { Principal } from '../../../../platform/auth/principal';
import { PageInfoObject } from '../../../identity/graphql/user.object';
import { pageWindow } from '../../graphql/paging';
import { Checkout } from '../application/checkout.service';
import { CreditPackages } from '../application/credit-packages.service';
import { PaymentHistory } from '../application/payment-history.service';
import {
  CheckoutSessionObject,
  CreditPackageObject,
  PaymentObject,
  PaymentPageObject,
} from './payment.objects';
import { CreateCheckoutSessionInput, PaymentsFilterInput, UpdateCreditPackageInput } from './payments.inputs';

/** Stripe top-ups: the packages on sale, buying one (to Stripe Checkout), and the payments made. */
@Resolver()
export class PaymentsResolver {
  constructor(
    private readonly packages: CreditPackages,
    private readonly checkout: Checkout,
    private readonly history: PaymentHistory,
  ) {}

  @Query(() => [CreditPackageObject], {
    description: 'Cheapest first; inactive ones only for billing administrators',
  })
  async creditPackages(
    @CurrentPrincipal() principal: Principal,
    @Args('includeInactive', { defaultValue: false }) includeInactive: boolean,
  ): Promise<CreditPackageObject[]> {
    return (await this.packages.list(principal, includeInactive)).map(CreditPackageObject.from);
  }

  @Mutation(() => CreditPackageObject, {
    description: 'Billing administrators; only the fields given change',
  })
  @RequirePermission('billing:manage')
  async updateCreditPackage(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateCreditPackageInput,
  ): Promise<CreditPackageObject> {
    return CreditPackageObject.from(await this.packages.update(principal, input));
  }

  @Mutation(() => CheckoutSessionObject, {
    description: 'Opens a Stripe Checkout page for a package; credits arrive once paid',
  })
  async createCheckoutSession(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateCheckoutSessionInput,
  ): Promise<CheckoutSessionObject> {
    return Object.assign(new CheckoutSessionObject(), await this.checkout.start(principal, input));
  }

  @Query(() => PaymentPageObject, {
    description:
      'Newest first: everyone’s for billing administrators, your own otherwise (those you made for a team included); with teamId, that team’s purchases for its managers',
  })
  async payments(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => PaymentsFilterInput, nullable: true }) filter?: PaymentsFilterInput,
  ): Promise<PaymentPageObject> {
    const { page, perPage, offset, limit } = pageWindow(filter);
    const result = await this.history.list(
      principal,
      { userId: filter?.userId, teamId: filter?.teamId, status: filter?.status, flagged: filter?.flagged },
      { offset, limit },
    );
    return {
      items: result.items.map(PaymentObject.from),
      pageInfo: PageInfoObject.of(page, perPage, result.total),
    };
  }
}
