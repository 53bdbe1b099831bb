import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class TransactionsCsvQuery {
  @IsOptional() @IsUUID() userId?: string;
  /** One type or several, comma-separated, any case (`debit,usage`). */
  @IsOptional() @IsString() @MaxLength(200) type?: string;
  /** Inclusive, ISO 8601 (`2025-01-01` or a full timestamp). */
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  /** Exclusive, ISO 8601. */
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class StatementCsvQuery {
  @IsOptional() @IsUUID() userId?: string;
  @IsOptional() @IsUUID() teamId?: string;
}
