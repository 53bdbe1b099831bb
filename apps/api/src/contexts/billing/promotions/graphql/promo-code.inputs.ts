import { Field, Float, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

@InputType()
export class CreatePromoCodeInput {
  @Field({ description: '3 to 32 letters, digits, "-" or "_"; stored upper-case' }) @IsString() @MaxLength(32) code!: string;
  @Field(() => Float, { description: 'Credits per redemption, > 0, up to 3 decimals' }) @IsNumber() credits!: number;
  @Field(() => Int, { nullable: true, description: 'Total redemptions allowed; omitted: unlimited' })
  @IsOptional()
  @IsInt()
  maxUses?: number | null;
  @Field(() => Date, { nullable: true, description: 'No redemptions from then on; omitted: never expires' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
  @Field(() => Int, { nullable: true, description: 'Granted credits lapse this many days after redemption; omitted: never' })
  @IsOptional()
  @IsInt()
  creditsValidDays?: number | null;
}

@InputType()
export class PromoCodesFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsBoolean() active?: boolean;
  @Field({ nullable: true, description: 'Part of the code, any case' }) @IsOptional() @IsString() @MaxLength(32) search?: string;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @IsInt() @Min(1) page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' }) @IsOptional() @IsInt() @Min(1) @Max(100) perPage?: number;
}
