import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CreditTransactionType } from './credit-transaction.object';

@InputType()
export class CreditTransactionsFilterInput {
  @Field(() => ID, { nullable: true, description: 'Whose transactions; default: your own' }) @IsOptional() @IsUUID() userId?: string;
  @Field({ nullable: true, description: 'Everyone you may see (admins: all users, managers: their teams)' })
  @IsOptional()
  @IsBoolean()
  allUsers?: boolean;
  @Field(() => [CreditTransactionType], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(CreditTransactionType, { each: true })
  types?: CreditTransactionType[];
  @Field({ nullable: true, description: 'From this instant (inclusive)' }) @IsOptional() from?: Date;
  @Field({ nullable: true, description: 'Up to this instant (exclusive)' }) @IsOptional() to?: Date;
  @Field(() => Int, { nullable: true, description: 'Default 1' }) @IsOptional() @IsInt() @Min(1) page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' }) @IsOptional() @IsInt() @Min(1) @Max(200) perPage?: number;
}
