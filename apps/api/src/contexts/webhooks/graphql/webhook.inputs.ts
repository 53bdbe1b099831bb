import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { WEBHOOK_EVENT_TYPES } from '@sah/domain';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { WebhookDeliveryStatus } from './webhook.objects';

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'https://… (port 443 or 80)' }) @IsString() @MaxLength(2048) url!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @Field(() => [String], { nullable: true, description: 'Default: every event type' })
  @IsOptional()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  eventTypes?: string[];
  @Field({ nullable: true, description: 'Admins: receive every user’s events' })
  @IsOptional()
  @IsBoolean()
  platformWide?: boolean;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID) @IsUUID() id!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(2048) url?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @Field(() => [String], { nullable: true, description: 'Empty: every event type' })
  @IsOptional()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  eventTypes?: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType()
export class RecoverWebhookDeliveriesInput {
  @Field(() => ID) @IsUUID() endpointId!: string;
  @Field({ description: 'Re-send every failed delivery created since then' }) @IsDate() since!: Date;
}

@InputType()
export class WebhookDeliveriesFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() endpointId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @IsIn([...WEBHOOK_EVENT_TYPES]) eventType?: string;
  @Field(() => WebhookDeliveryStatus, { nullable: true })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;
  @Field({ nullable: true, description: 'Created from this instant (inclusive)' }) @IsOptional() from?: Date;
  @Field({ nullable: true, description: 'Created before this instant' }) @IsOptional() to?: Date;
  @Field(() => Int, { nullable: true, description: 'Default 1' })
  @IsOptional()
  @IsInt()
  @Min(1)
  page?: number;
  @Field(() => Int, { nullable: true, description: 'Default 20' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  perPage?: number;
}
