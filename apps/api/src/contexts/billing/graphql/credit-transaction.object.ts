import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TRANSACTION_TYPES, TransactionType } from '@sah/domain';
import type { LedgerTransaction } from '@sah/infrastructure';
import GraphQLJSON from 'graphql-type-json';
import { PageInfoObject } from '../../identity/graphql/user.object';

export enum CreditTransactionType {
  WELCOME = 'welcome',
  GRANT = 'grant',
  PROMO = 'promo',
  PURCHASE = 'purchase',
  ADJUSTMENT = 'adjustment',
  DEBIT = 'debit',
  USAGE = 'usage',
  REFUND = 'refund',
  EXPIRY = 'expiry',
  CHARGEBACK = 'chargeback',
  TRANSFER = 'transfer',
}
registerEnumType(CreditTransactionType, { name: 'CreditTransactionType', description: `One of: ${TRANSACTION_TYPES.join(', ')}` });

@ObjectType('CreditTransaction', { description: 'One ledger transaction, as seen from the user account it concerns' })
export class CreditTransactionObject {
  @Field(() => ID) id!: string;
  @Field(() => CreditTransactionType) type!: TransactionType;
  @Field(() => ID) userId!: string;
  @Field(() => Float, { description: 'Signed effect on the balance, in credits (up to 3 decimals)' }) amount!: number;
  @Field(() => Float) balanceAfter!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => ID, { nullable: true, description: 'Who made it, for admin adjustments and refunds' }) actorId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The transaction a refund gives back' }) reversesId!: string | null;
  @Field(() => GraphQLJSON) metadata!: Record<string, unknown>;
  @Field() createdAt!: Date;

  static from(transaction: LedgerTransaction): CreditTransactionObject {
    return Object.assign(new CreditTransactionObject(), {
      ...transaction,
      amount: transaction.amount.toNumber(),
      balanceAfter: transaction.balanceAfter.toNumber(),
    });
  }
}

@ObjectType('CreditTransactionPage')
export class CreditTransactionPageObject {
  @Field(() => [CreditTransactionObject]) items!: CreditTransactionObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}
