import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { redemptionRefusal, remainingUses } from '@sah/domain';
import type { PromoCodeRecord } from '@sah/infrastructure';
import { PageInfoObject } from '../../../identity/graphql/user.object';
import { CreditBalanceObject } from '../../graphql/credit-balance.object';
import { CreditTransactionObject } from '../../graphql/credit-transaction.object';

@ObjectType('PromoCode', { description: 'A promo code with its usage, as admins see it' })
export class PromoCodeObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'Upper-case; redeemed in any case' }) code!: string;
  @Field(() => Float, { description: 'Credits granted per redemption (up to 3 decimals)' }) credits!: number;
  @Field(() => Int, { nullable: true, description: 'null: unlimited' }) maxUses!: number | null;
  @Field(() => Int) uses!: number;
  @Field(() => Int, { nullable: true, description: 'null: unlimited' }) remainingUses!: number | null;
  @Field(() => Date, { nullable: true, description: 'null: never expires' }) expiresAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Granted credits lapse this many days after redemption; null: never' })
  creditsValidDays!: number | null;
  @Field() active!: boolean;
  @Field({ description: 'Active, not expired and not fully redeemed' }) redeemable!: boolean;
  @Field(() => ID, { nullable: true }) createdBy!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) deactivatedAt!: Date | null;

  static from(code: PromoCodeRecord, now = new Date()): PromoCodeObject {
    return Object.assign(new PromoCodeObject(), {
      ...code,
      credits: code.credits.toNumber(),
      remainingUses: remainingUses(code),
      redeemable: redemptionRefusal(code, now) === null,
    });
  }
}

@ObjectType('PromoCodePage')
export class PromoCodePageObject {
  @Field(() => [PromoCodeObject]) items!: PromoCodeObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}

@ObjectType('PromoRedemption', { description: 'What redeeming a code gave the caller' })
export class PromoRedemptionObject {
  @Field({ description: 'The code, upper-case' }) code!: string;
  @Field(() => Float, { description: 'Credits granted (up to 3 decimals)' }) credits!: number;
  @Field(() => CreditTransactionObject) transaction!: CreditTransactionObject;
  @Field(() => CreditBalanceObject, { description: 'The balance right after the grant' }) balance!: CreditBalanceObject;
}
