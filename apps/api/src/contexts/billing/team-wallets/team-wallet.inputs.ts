import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { MAX_ALERT_THRESHOLDS } from '@sah/domain';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';

// Reasons are checked by the domain (1 to 500 characters); this only stops absurd payloads.
const REASON_HARD_LIMIT = 2000;

@InputType()
export class AdjustTeamWalletInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => Float, { description: 'Signed, at most 3 decimals, not zero' }) @IsNumber() amount!: number;
  @Field({ description: 'Required, up to 500 characters' }) @IsString() @MaxLength(REASON_HARD_LIMIT) reason!: string;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

@InputType()
export class TransferToTeamWalletInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => Float, { description: 'Credits from your own balance, positive, at most 3 decimals' }) @IsNumber() amount!: number;
  @Field({ description: 'Required: retrying with the same key moves the credits once' }) @IsString() @Length(1, 200) idempotencyKey!: string;
  @Field({ nullable: true, description: 'Up to 500 characters' }) @IsOptional() @IsString() @MaxLength(REASON_HARD_LIMIT) reason?: string;
}

@InputType()
export class SetTeamMemberLimitsInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => ID) @IsUUID() userId!: string;
  @Field(() => Float, { nullable: true, description: 'Credits per UTC day; null: no limit' }) @IsOptional() @IsNumber() dailyCredits?: number | null;
  @Field(() => Float, { nullable: true, description: 'Credits per calendar month (UTC); null: no limit' })
  @IsOptional()
  @IsNumber()
  monthlyCredits?: number | null;
}

@InputType()
export class SetTeamMonthlyCapInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => Float, { nullable: true, description: "The wallet's spending cap per calendar month (UTC); null: none" })
  @IsOptional()
  @IsNumber()
  monthlyCap?: number | null;
}

@InputType()
export class SetTeamBudgetAlertsInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => [Int], {
    nullable: true,
    description: `Percentages of the monthly cap (whole, 1-100, at most ${MAX_ALERT_THRESHOLDS}) that each alert the managers once a month; [] for none, null for the default`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ALERT_THRESHOLDS)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100, { each: true })
  thresholds?: number[] | null;
}

@InputType()
export class TeamWalletTransactionsInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @Min(1) page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' }) @IsOptional() @Min(1) @Max(200) perPage?: number;
}
