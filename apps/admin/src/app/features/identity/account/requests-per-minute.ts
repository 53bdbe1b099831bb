import { Validators, type ValidatorFn } from '@angular/forms';

/** The API's bounds for an API key's own requests-per-minute limit; empty (null) means none. */
export const requestsPerMinuteValidators: ValidatorFn[] = [Validators.min(1), Validators.max(1_000_000), Validators.pattern(/^\d+$/)];
