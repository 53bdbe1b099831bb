import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { Credits } from '@sah/domain';

@ObjectType('CreditBalance', { description: 'Credits, as numbers with up to 3 decimals' })
export class CreditBalanceObject {
  @Field(() => ID) userId!: string;
  @Field(() => Float, { description: 'Everything in the account, reserved credits included' }) balance!: number;
  @Field(() => Float, { description: 'Held for work under way (AI streams, media jobs)' }) reserved!: number;
  @Field(() => Float, { description: 'What can be spent now: balance - reserved' }) available!: number;

  static of(userId: string, balance: Credits, reserved: Credits): CreditBalanceObject {
    return Object.assign(new CreditBalanceObject(), {
      userId,
      balance: balance.toNumber(),
      reserved: reserved.toNumber(),
      available: balance.minus(reserved).toNumber(),
    });
  }
}
