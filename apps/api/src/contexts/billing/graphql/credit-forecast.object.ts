import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('CreditForecast', { description: 'When the balance runs out at the recent rate of spending' })
export class CreditForecastObject {
  @Field(() => Float, { nullable: true, description: 'Null when nothing was spent in the window' }) daysUntilEmpty!: number | null;
  @Field(() => Float, { description: 'Net spend per day over the window, in credits' }) averageDailySpend!: number;
  @Field(() => Int) windowDays!: number;
  @Field(() => Float) available!: number;
}
