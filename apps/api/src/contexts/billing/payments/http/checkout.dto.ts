import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

export class CheckoutBody {
  /** A package code (e.g. "starter") or id. */
  @IsString() @Length(1, 100) package!: string;
  @IsString() @MaxLength(2048) successUrl!: string;
  @IsString() @MaxLength(2048) cancelUrl!: string;
  /** Buy for this team's wallet (its managers and administrators). */
  @IsOptional() @IsUUID() teamId?: string;
}
