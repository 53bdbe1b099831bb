import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { CreditTransactionObject } from '../graphql/credit-transaction.object';
import { AdjustCredits } from './adjust-credits.handler';
import { AdjustCreditsInput, ApplyCreditAdjustmentsInput, RefundTransactionInput } from './billing-admin.inputs';
import { CreditAdjustmentBatchObject, CreditAdjustmentPreviewObject } from './billing-admin.objects';
import { BulkAdjustments } from './bulk-adjustments.handler';
import { RefundTransaction } from './refund-transaction.handler';

/** Finance staff changing balances: adjustments (one, or a file of them) and refunds. */
@Resolver()
export class CreditAdjustmentsResolver {
  constructor(
    private readonly adjustCreditsHandler: AdjustCredits,
    private readonly refundHandler: RefundTransaction,
    private readonly bulk: BulkAdjustments,
  ) {}

  @Mutation(() => CreditTransactionObject, { description: 'Admins for anyone, managers for their teams’ members; reason required' })
  @RequirePermission('credits:adjust')
  async adjustCredits(@CurrentPrincipal() principal: Principal, @Args('input') input: AdjustCreditsInput): Promise<CreditTransactionObject> {
    return CreditTransactionObject.from(await this.adjustCreditsHandler.execute(principal, input));
  }

  @Mutation(() => CreditTransactionObject, { description: 'Gives back all or part of a debit or usage transaction (admins)' })
  @RequirePermission('credits:refund')
  async refundTransaction(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RefundTransactionInput,
  ): Promise<CreditTransactionObject> {
    return CreditTransactionObject.from(await this.refundHandler.execute(principal, input));
  }

  @Query(() => CreditAdjustmentPreviewObject, { description: 'Checks a bulk adjustment file (header "user,amount,reason") without applying it' })
  @RequirePermission('credits:adjust')
  async previewCreditAdjustments(@CurrentPrincipal() principal: Principal, @Args('csv') csv: string): Promise<CreditAdjustmentPreviewObject> {
    return CreditAdjustmentPreviewObject.from(await this.bulk.preview(principal, csv));
  }

  @Mutation(() => CreditAdjustmentBatchObject, { description: 'Applies a bulk adjustment file: every row or, if any fails, none' })
  @RequirePermission('credits:adjust')
  async applyCreditAdjustments(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ApplyCreditAdjustmentsInput,
  ): Promise<CreditAdjustmentBatchObject> {
    const postings = await this.bulk.apply(principal, input.csv, input.idempotencyKey);
    return Object.assign(new CreditAdjustmentBatchObject(), {
      applied: postings.length,
      transactions: postings.map((posting) => CreditTransactionObject.from(posting.transaction)),
    });
  }
}
