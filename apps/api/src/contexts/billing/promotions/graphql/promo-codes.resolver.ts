import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../../platform/auth/auth.decorators';
import type { Principal } from '../../../../platform/auth/principal';
import { PageInfoObject } from '../../../identity/graphql/user.object';
import { CreditBalanceObject } from '../../graphql/credit-balance.object';
import { CreditTransactionObject } from '../../graphql/credit-transaction.object';
import { pageWindow } from '../../graphql/paging';
import { PromoCodeAdmin } from '../application/promo-code-admin.service';
import { RedeemPromoCode } from '../application/redeem-promo-code.handler';
import { CreatePromoCodeInput, PromoCodesFilterInput } from './promo-code.inputs';
import { PromoCodeObject, PromoCodePageObject, PromoRedemptionObject } from './promo-code.object';

/**
 * Redeeming is open to every role that holds a balance (`credits:read`, guests included): it only
 * ever adds to the caller's own credits. Managing codes is for admins (`billing:manage`).
 */
@Resolver()
export class PromoCodesResolver {
  constructor(
    private readonly redeem: RedeemPromoCode,
    private readonly admin: PromoCodeAdmin,
  ) {}

  @Mutation(() => PromoRedemptionObject, { description: 'Once per user and code; the code is case-insensitive' })
  @RequirePermission('credits:read')
  async redeemPromoCode(@CurrentPrincipal() principal: Principal, @Args('code') code: string): Promise<PromoRedemptionObject> {
    const { code: redeemed, posting } = await this.redeem.execute(principal.userId, code);
    return Object.assign(new PromoRedemptionObject(), {
      code: redeemed.code,
      credits: redeemed.credits.toNumber(),
      transaction: CreditTransactionObject.from(posting.transaction),
      balance: CreditBalanceObject.of(principal.userId, posting.account.balance, posting.account.reserved),
    });
  }

  @Query(() => PromoCodePageObject, { description: 'Newest first' })
  @RequirePermission('billing:manage')
  async promoCodes(@Args('filter', { nullable: true }) filter?: PromoCodesFilterInput): Promise<PromoCodePageObject> {
    const { page, perPage, offset, limit } = pageWindow(filter);
    const { items, total } = await this.admin.list({ active: filter?.active, search: filter?.search }, { offset, limit });
    const now = new Date();
    return Object.assign(new PromoCodePageObject(), {
      items: items.map((code) => PromoCodeObject.from(code, now)),
      pageInfo: PageInfoObject.of(page, perPage, total),
    });
  }

  @Mutation(() => PromoCodeObject)
  @RequirePermission('billing:manage')
  async createPromoCode(@CurrentPrincipal() principal: Principal, @Args('input') input: CreatePromoCodeInput): Promise<PromoCodeObject> {
    return PromoCodeObject.from(await this.admin.create(principal, input));
  }

  @Mutation(() => PromoCodeObject, { description: 'Stops further redemptions; credits already granted stay' })
  @RequirePermission('billing:manage')
  async deactivatePromoCode(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<PromoCodeObject> {
    return PromoCodeObject.from(await this.admin.deactivate(principal, id));
  }
}
