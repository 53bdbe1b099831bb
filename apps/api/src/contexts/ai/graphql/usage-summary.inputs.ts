import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsUUID } from 'class-validator';

export enum UsageGroupByEnum {
  DAY = 'day',
  MODEL = 'model',
  PROVIDER = 'provider',
  USER = 'user',
  TEAM = 'team',
  MEMBER = 'member',
}
registerEnumType(UsageGroupByEnum, {
  name: 'UsageGroupBy',
  description:
    'DAY (UTC dates), MODEL, PROVIDER, USER, TEAM (a user in several teams counts in each) or MEMBER (per member of the team `teamId` names: its managers and administrators)',
});

@InputType()
export class UsageSummaryFilterInput {
  @Field({ nullable: true, description: 'Inclusive; default: 30 days before `to`' }) @IsOptional() @IsDate() from?: Date;
  @Field({ nullable: true, description: 'Exclusive; default: now. At most 366 days after `from`' }) @IsOptional() @IsDate() to?: Date;
  @Field(() => UsageGroupByEnum, { nullable: true, description: 'Default DAY' }) @IsOptional() @IsEnum(UsageGroupByEnum) groupBy?: UsageGroupByEnum;
  @Field(() => ID, { nullable: true, description: 'One user’s calls (yourself, or someone you may see)' }) @IsOptional() @IsUUID() userId?: string;
  @Field(() => ID, { nullable: true, description: 'The calls of one team’s members (a team you may see)' }) @IsOptional() @IsUUID() teamId?: string;
}
