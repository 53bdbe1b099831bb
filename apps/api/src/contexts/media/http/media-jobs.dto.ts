import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** The Custom GPT video flow's body (contract: `{prompt, duration, resolution}`). */
export class Sora2GenerateBody {
  @IsString() @MaxLength(4000) prompt!: string;
  /** Seconds, 1-60 (default 4). */
  @IsOptional() @IsInt() @Min(1) @Max(60) duration?: number;
  /** WIDTHxHEIGHT, e.g. 1280x720. */
  @IsOptional() @Matches(/^\d{2,5}x\d{2,5}$/, { message: 'resolution must look like 1280x720' }) resolution?: string;
}
