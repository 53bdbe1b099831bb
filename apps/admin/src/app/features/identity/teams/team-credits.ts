import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** The most a console form sends as credits: the API refuses beyond a trillion anyway. */
const MAX_CREDITS = 1_000_000_000;

/** Credits as the ledger takes them: at most 3 decimals, positive (or, `signed`, not zero), empty allowed unless required. */
export function creditsValidator(options: { signed?: boolean } = {}): ValidatorFn {
  return (control: AbstractControl<number | string | null>): ValidationErrors | null => {
    const raw = control.value;
    if (raw === null || raw === '') return null;
    const value = Number(raw);
    const ok =
      Number.isFinite(value) &&
      Math.abs(value) <= MAX_CREDITS &&
      (options.signed ? value !== 0 : value > 0) &&
      Math.round(value * 1000) === value * 1000;
    return ok ? null : { credits: true };
  };
}

/** A form field's credits: a number, or null when left empty. */
export function creditsOf(raw: number | string | null): number | null {
  return raw === null || raw === '' ? null : Number(raw);
}
