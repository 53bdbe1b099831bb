import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

@InputType({ isAbstract: true })
class PlanFieldsInput {
  @Field(() => Int, { nullable: true, description: 'Requests a month; null: no cap' })
  @IsOptional()
  @IsInt()
  requestsPerMonth?: number | null;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @IsInt() seats?: number;
  @Field(() => String, { nullable: true, description: 'A Stripe price (price_…) to bill; unset: created on first checkout' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  stripePriceId?: string | null;
}

@InputType()
export class CreatePlanInput extends PlanFieldsInput {
  @Field({ description: 'Lower-case handle, e.g. "pro"' }) @IsString() @Length(1, 50) code!: string;
  @Field() @IsString() @MaxLength(100) name!: string;
  @Field(() => Int, { description: 'Monthly price in minor units (cents); 0 for a free plan' }) @IsInt() priceCents!: number;
  @Field({ nullable: true, description: 'Default "usd"' }) @IsOptional() @IsString() @Length(3, 3) currency?: string;
  @Field(() => Float, { description: 'Credits a paid month grants (at most 3 decimals)' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  monthlyCredits!: number;
}

@InputType()
export class UpdatePlanInput extends PlanFieldsInput {
  @Field(() => ID) @IsUUID() id!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) name?: string;
  @Field(() => Int, { nullable: true, description: 'A new price forgets the Stripe price unless stripePriceId names another' })
  @IsOptional()
  @IsInt()
  priceCents?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) monthlyCredits?: number;
}

@InputType()
export class SubscribeToPlanInput {
  @Field({ description: 'A plan code (e.g. "pro") or id' }) @IsString() @Length(1, 100) plan!: string;
  @Field({ description: 'Where Stripe sends the subscriber after paying (http or https)' })
  @IsString()
  @MaxLength(2048)
  successUrl!: string;
  @Field({ description: 'Where Stripe sends one who gives up' }) @IsString() @MaxLength(2048) cancelUrl!: string;
}

@InputType()
export class ChangePlanInput {
  @Field({ description: 'The paid plan to move your running subscription to: a code (e.g. "pro") or id' })
  @IsString()
  @Length(1, 100)
  plan!: string;
}
