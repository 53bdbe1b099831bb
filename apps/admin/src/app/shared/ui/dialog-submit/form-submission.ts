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
   * (every field touched) instead. The form is disabled while the request runs (`call` reads its
   * values first) and stays so after an answer, which `done` gets: the dialog closes or shows what
   * was made. A refusal gives the form back as it was, for another try.
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
      const request = call();
      const unlock = lock(form);
      request.subscribe({
        next: (answer) => {
          busy.set(false);
          done(answer);
        },
        error: (failure: unknown) => {
          error.set(toAppError(failure).message);
          busy.set(false);
          unlock();
        },
      });
    },
  };
}

/** Disables `form`; the returned function enables it again but for the controls that were disabled before. */
function lock(form: AbstractControl): () => void {
  const wereDisabled = descendants(form).filter((control) => control.disabled);
  form.disable();
  return () => {
    form.enable();
    for (const control of wereDisabled) control.disable();
  };
}

function descendants(control: AbstractControl): AbstractControl[] {
  const children = 'controls' in control ? Object.values(control.controls as Record<string, AbstractControl>) : [];
  return children.flatMap((child) => [child, ...descendants(child)]);
}
