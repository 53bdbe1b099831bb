import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CreditPackage, Payment, PAYMENT_STATUSES, PaymentStatus } from '@sah/infrastructure';
import { PageInfoObject } from '../../../identity/graphql/user.object';

export enum PaymentStatusEnum {
  PENDING = 'pending',
  PAID = 'paid',
  FAILED = 'failed',
  REFUNDED = 'refunded',
  PARTIALLY_REFUNDED = 'partially_refunded',
  EXPIRED = 'expired',
}
registerEnumType(PaymentStatusEnum, {
  name: 'PaymentStatus',
  description: `One of: ${PAYMENT_STATUSES.join(', ')}`,
});

@ObjectType('CreditPackage', { description: 'A package of credits sold through Stripe Checkout' })
export class CreditPackageObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'Stable handle, e.g. "starter"; accepted wherever a package is asked for' })
  code!: string;
  @Field() name!: string;
  @Field(() => Float, { description: 'Credits granted (up to 3 decimals)' }) credits!: number;
  @Field(() => Int, { description: 'Price in the currency’s minor units (cents)' }) priceCents!: number;
  @Field({ description: 'ISO 4217, lower case (e.g. "usd")' }) currency!: string;
  @Field() active!: boolean;

  static from(creditPackage: CreditPackage): CreditPackageObject {
    return Object.assign(new CreditPackageObject(), {
      id: creditPackage.id,
      code: creditPackage.code,
      name: creditPackage.name,
      credits: creditPackage.credits.toNumber(),
      priceCents: creditPackage.priceCents,
      currency: creditPackage.currency,
      active: creditPackage.active,
    });
  }
}

@ObjectType('CheckoutSession', { description: 'A Stripe-hosted checkout page: send the buyer to `url`' })
export class CheckoutSessionObject {
  @Field() sessionId!: string;
  @Field() url!: string;
  @Field(() => ID, { description: 'The payment this checkout will settle' }) paymentId!: string;
}

@ObjectType('Payment', { description: 'One Stripe top-up: a Checkout Session and what came of it' })
export class PaymentObject {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'Who paid' }) userId!: string;
  @Field(() => ID, { nullable: true, description: "The team whose wallet got the credits; null: the buyer's own balance" })
  teamId!: string | null;
  @Field() packageCode!: string;
  @Field() packageName!: string;
  @Field(() => Float) credits!: number;
  @Field(() => Int, { description: 'Minor units (cents)' }) amountCents!: number;
  @Field() currency!: string;
  @Field(() => PaymentStatusEnum) status!: PaymentStatus;
  @Field(() => String, { nullable: true }) stripeSessionId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The purchase transaction that granted the credits' })
  creditedTransactionId!: string | null;
  @Field(() => Int, { description: 'Refunded by Stripe so far, in minor units' }) refundedCents!: number;
  @Field(() => Float, { description: 'Credits taken back for refunds' }) creditsReversed!: number;
  @Field(() => Float, {
    description: 'Credits refunds should have taken back but the balance no longer held',
  })
  refundShortfall!: number;
  @Field({ description: 'True when a refund left a shortfall: finance should follow up' }) flagged!: boolean;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;
  @Field() updatedAt!: Date;

  static from(payment: Payment): PaymentObject {
    return Object.assign(new PaymentObject(), {
      id: payment.id,
      userId: payment.userId,
      teamId: payment.teamId,
      packageCode: payment.packageCode,
      packageName: payment.packageName,
      credits: payment.credits.toNumber(),
      amountCents: payment.amountCents,
      currency: payment.currency,
      status: payment.status,
      stripeSessionId: payment.stripeSessionId,
      creditedTransactionId: payment.creditedTransactionId,
      refundedCents: payment.refundedCents,
      creditsReversed: payment.creditsReversed.toNumber(),
      refundShortfall: payment.refundShortfall.toNumber(),
      flagged: payment.refundShortfall.isPositive(),
      failureReason: payment.failureReason,
      createdAt: payment.createdAt,
      paidAt: payment.paidAt,
      updatedAt: payment.updatedAt,
    });
  }
}

@ObjectType('PaymentPage')
export class PaymentPageObject {
  @Field(() => [PaymentObject]) items!: PaymentObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}
