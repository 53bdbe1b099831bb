import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';

const GROUPS = ['day', 'model', 'provider', 'user', 'team', 'member'];

export class UsageCsvQuery {
  /** Inclusive, ISO 8601 (`2025-01-01` or a full timestamp); default: 30 days before `to`. */
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  /** Exclusive, ISO 8601; default: now. */
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  /** day, model, provider, user, team or member (with teamId), any case; default day. */
  @IsOptional() @IsIn([...GROUPS, ...GROUPS.map((group) => group.toUpperCase())]) groupBy?: string;
  @IsOptional() @IsUUID() userId?: string;
  @IsOptional() @IsUUID() teamId?: string;
}
