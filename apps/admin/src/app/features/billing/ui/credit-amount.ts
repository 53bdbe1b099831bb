import type { AbstractControl, ValidationErrors } from '@angular/forms';

/** At most 3 decimals, as the ledger stores them (milli-credits); a sign only where allowed. */
const SIGNED = /^[+-]?\d{1,12}(\.\d{1,3})?$/;
const UNSIGNED = /^\d{1,12}(\.\d{1,3})?$/;
const ZERO = /^[+-]?0+(\.0*)?$/;

/**
 * Validates a typed credit amount as text, so "0.1" reaches the API as written rather than through
 * float arithmetic in the browser. Empty is left to `Validators.required`.
 */
export function creditAmount(options: { signed: boolean }) {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const text = (control.value ?? '').trim();
    if (text === '') return null;
    if (!(options.signed ? SIGNED : UNSIGNED).test(text)) return { creditAmount: true };
    return ZERO.test(text) ? { zero: true } : null;
  };
}

/** A validated amount for the GraphQL Float field ("+25" → 25). */
export function toAmount(text: string): number {
  return Number(text.trim());
}
