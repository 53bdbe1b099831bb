import { WEBHOOK_EVENT_TYPES } from '@sah/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateEndpointBody {
  @IsString() @MaxLength(2048) url!: string;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
  @IsOptional()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  eventTypes?: string[];
  @IsOptional() @IsBoolean() platformWide?: boolean;
}

export class UpdateEndpointBody {
  @IsOptional() @IsString() @MaxLength(2048) url?: string;
  @IsOptional() @IsString() @MaxLength(500) description?: string;
  @IsOptional()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  eventTypes?: string[];
  @IsOptional() @IsBoolean() enabled?: boolean;
}

export class RecoverBody {
  @IsDateString() since!: string;
}

export class DeliveriesQuery {
  @IsOptional() @IsIn([...WEBHOOK_EVENT_TYPES]) event_type?: string;
  @IsOptional() @IsIn(['pending', 'delivered', 'failed']) status?: 'pending' | 'delivered' | 'failed';
  @IsOptional() @IsDateString() from?: string;
  @IsOptional() @IsDateString() to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) per_page?: number;
}
