import { Field, Float, ID, InputType } from '@nestjs/graphql';
import { IsNumber, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

// Reasons are trimmed and limited to 500 characters by the domain, which says so clearly; the
// validators here only stop absurd payloads.
const REASON_HARD_LIMIT = 2000;

@InputType()
export class AdjustCreditsInput {
  @Field(() => ID) @IsUUID() userId!: string;
  @Field(() => Float, { description: 'Signed, at most 3 decimals, not zero: positive adds credits, negative takes them' })
  @IsNumber()
  amount!: number;
  @Field({ description: 'Required, up to 500 characters' }) @IsString() @MaxLength(REASON_HARD_LIMIT) reason!: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

@InputType()
export class RefundTransactionInput {
  @Field(() => ID, { description: 'A debit or usage transaction' }) @IsUUID() transactionId!: string;
  @Field(() => Float, { nullable: true, description: 'Part of it (positive); omitted: everything still refundable' })
  @IsOptional()
  @IsNumber()
  amount?: number;
  @Field({ description: 'Required, up to 500 characters' }) @IsString() @MaxLength(REASON_HARD_LIMIT) reason!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 200) idempotencyKey?: string;
}

@InputType()
export class ApplyCreditAdjustmentsInput {
  @Field({ description: 'The file: header "user,amount,reason", at most 1,000 rows and 200 KB' }) @IsString() csv!: string;
  @Field({ description: 'Required: applying the same file again with it changes nothing' }) @IsString() @Length(1, 200) idempotencyKey!: string;
}

@InputType()
export class CreditStatementInput {
  @Field(() => ID, { nullable: true, description: 'Default: yourself' }) @IsOptional() @IsUUID() userId?: string;
  @Field(() => ID, { nullable: true, description: 'A team: its members summed' }) @IsOptional() @IsUUID() teamId?: string;
  @Field({ description: 'YYYY-MM, in UTC' }) @IsString() @MaxLength(20) month!: string;
}
