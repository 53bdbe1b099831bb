import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PaymentStatusEnum } from './payment.objects';

@InputType()
export class CreateCheckoutSessionInput {
  @Field({ description: 'A package code (e.g. "starter") or id' })
  @IsString()
  @Length(1, 100)
  package!: string;
  @Field({ description: 'Where Stripe sends the buyer after paying (http or https)' })
  @IsString()
  @MaxLength(2048)
  successUrl!: string;
  @Field({ description: 'Where Stripe sends the buyer who gives up' })
  @IsString()
  @MaxLength(2048)
  cancelUrl!: string;
  @Field(() => ID, {
    nullable: true,
    description: "Buy for this team's wallet instead of your own balance (its managers and administrators)",
  })
  @IsOptional()
  @IsUUID()
  teamId?: string;
}

@InputType()
export class UpdateCreditPackageInput {
  @Field(() => ID) @IsUUID() id!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) name?: string;
  @Field(() => Float, { nullable: true, description: 'Positive, at most 3 decimals' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  credits?: number;
  @Field(() => Int, { nullable: true, description: 'Minor units (cents)' })
  @IsOptional()
  @IsInt()
  priceCents?: number;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() active?: boolean;
}

@InputType()
export class PaymentsFilterInput {
  @Field(() => PaymentStatusEnum, { nullable: true })
  @IsOptional()
  @IsEnum(PaymentStatusEnum)
  status?: PaymentStatusEnum;
  @Field(() => ID, { nullable: true, description: 'Billing administrators only, unless it is your own id' })
  @IsOptional()
  @IsUUID()
  userId?: string;
  @Field(() => ID, {
    nullable: true,
    description: "Purchases made for this team, whoever paid: its managers and billing administrators",
  })
  @IsOptional()
  @IsUUID()
  teamId?: string;
  @Field({ nullable: true, description: 'Only payments whose refunds left a shortfall (or only the others)' })
  @IsOptional()
  @IsBoolean()
  flagged?: boolean;
  @Field(() => Int, { nullable: true, description: 'Default 1' })
  @IsOptional()
  @IsInt()
  @Min(1)
  page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  perPage?: number;
}
