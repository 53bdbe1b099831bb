import { IsNumber, IsObject, IsOptional, IsString, Matches } from 'class-validator';

export class CreditCheckBody {
  /** Which partner service asks (e.g. "video-generator"), recorded with the deduction. */
  @IsString() @Matches(/^[\w.:-]{1,100}$/, { message: 'service must be 1-100 letters, digits or . : _ -' }) service!: string;
  /** Credits: a positive number with at most 3 decimals, checked exactly by the service. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) cost!: number;
}

export class CreditDeductBody extends CreditCheckBody {
  @IsOptional() @IsObject() metadata?: Record<string, unknown>;
}
