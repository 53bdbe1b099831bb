import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_API_KEY_MONTHLY_CREDIT_BUDGET, MAX_API_KEY_REQUESTS_PER_MINUTE, MAX_API_KEY_TOKENS_PER_MINUTE } from '../application/api-keys.service';
import { RoleEnum } from './user.object';

@InputType()
export class RegisterInput {
  @Field() @IsString() @MaxLength(254) email!: string;
  @Field() @IsString() @MaxLength(128) password!: string;
  @Field() @IsString() @MaxLength(100) name!: string;
}

@InputType()
export class VerifyEmailInput {
  @Field() @IsString() @MaxLength(254) email!: string;
  @Field({ description: 'The 6-digit code from the e-mail' }) @IsString() @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' }) otp!: string;
}

@InputType()
export class LoginInput {
  @Field() @IsString() @MaxLength(254) email!: string;
  @Field() @IsString() @MaxLength(128) password!: string;
}

@InputType()
export class ResetPasswordInput {
  @Field() @IsString() @MaxLength(200) token!: string;
  @Field() @IsString() @MaxLength(128) newPassword!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field() @IsString() @MaxLength(128) currentPassword!: string;
  @Field() @IsString() @MaxLength(128) newPassword!: string;
}

@InputType()
export class AssignRoleInput {
  @Field(() => ID) @IsUUID() userId!: string;
  @Field(() => RoleEnum) @IsEnum(RoleEnum) role!: RoleEnum;
}

@InputType()
export class CreateApiKeyInput {
  @Field() @IsString() @Length(1, 100) name!: string;
  @Field(() => [String]) @IsString({ each: true }) @ArrayMaxSize(10) scopes!: string[];
  @Field(() => Int, { nullable: true, description: 'Default 90' }) @IsOptional() @IsInt() @Min(1) @Max(365) expiresInDays?: number;
  @Field(() => Int, { nullable: true, description: "The key's own limit of requests per minute; none by default" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_REQUESTS_PER_MINUTE)
  requestsPerMinute?: number | null;
  @Field(() => Int, { nullable: true, description: 'Whole credits the key may spend per calendar month (UTC), calls in flight included; none by default' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_MONTHLY_CREDIT_BUDGET)
  monthlyCreditBudget?: number | null;
  @Field(() => Int, { nullable: true, description: 'Tokens per minute the key may use (estimated when a call starts, corrected when it is paid); none by default' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_TOKENS_PER_MINUTE)
  tokensPerMinute?: number | null;
  @Field(() => ID, { nullable: true, description: "A team you belong to: the key's calls spend the team's wallet, within its limits" })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}

@InputType()
export class SetApiKeyLimitsInput {
  @Field(() => ID) @IsUUID() id!: string;
  @Field(() => Int, { nullable: true, description: 'Requests per minute; null removes the limit, left out keeps it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_REQUESTS_PER_MINUTE)
  requestsPerMinute?: number | null;
  @Field(() => Int, { nullable: true, description: 'Whole credits per calendar month (UTC); null removes the budget, left out keeps it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_MONTHLY_CREDIT_BUDGET)
  monthlyCreditBudget?: number | null;
  @Field(() => Int, { nullable: true, description: 'Tokens per minute; null removes the limit, left out keeps it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_API_KEY_TOKENS_PER_MINUTE)
  tokensPerMinute?: number | null;
}

@InputType()
export class UsersFilterInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) search?: string;
  @Field(() => RoleEnum, { nullable: true }) @IsOptional() @IsEnum(RoleEnum) role?: RoleEnum;
  @Field({ nullable: true }) @IsOptional() @IsIn(['active', 'suspended']) status?: string;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @IsInt() @Min(1) page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' }) @IsOptional() @IsInt() @Min(1) @Max(100) perPage?: number;
}

@InputType()
export class AuditLogFilterInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() actorId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) targetId?: string;
  @Field({ nullable: true }) @IsOptional() from?: Date;
  @Field({ nullable: true }) @IsOptional() to?: Date;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @IsInt() @Min(1) page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 50' }) @IsOptional() @IsInt() @Min(1) @Max(200) perPage?: number;
}
