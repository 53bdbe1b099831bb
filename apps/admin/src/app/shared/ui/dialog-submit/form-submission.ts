import { signal } from '@angular/core';
import type { AbstractControl } from '@angular/forms';
import type { Observable } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';

/** A form sent to the API one request at a time, and what the user sees of it (`<sah-dialog-submit>`). */
export interface FormSubmission {
  /** A request is on its way: the buttons wait. */
  readonly busy: () => boolean;
  /** Why the last request was refused, in the API's words; cleared by the next one. */
  readonly error: () => string | null;
  /**
   * Sends the form with `call` unless a request is already on its way; an invalid form is shown
   * (every field touched) instead. `done` gets the answer; a refusal keeps the form for another try.
   */
  submit<T>(form: AbstractControl, call: () => Observable<T>, done: (answer: T) => void): void;
}

/** A form confirmed and sent from a dialog: busy while the request runs, the refusal shown in the dialog. */
export function formSubmission(): FormSubmission {
  const busy = signal(false);
  const error = signal<string | null>(null);
  return {
    busy: busy.asReadonly(),
    error: error.asReadonly(),
    submit(form, call, done) {
      if (busy()) return;
      if (form.invalid) {
        form.markAllAsTouched();
        return;
      }
      busy.set(true);
      error.set(null);
      call().subscribe({
        next: (answer) => {
          busy.set(false);
          done(answer);
        },
        error: (failure: unknown) => {
          error.set(toAppError(failure).message);
          busy.set(false);
        },
      });
    },
  };
}
