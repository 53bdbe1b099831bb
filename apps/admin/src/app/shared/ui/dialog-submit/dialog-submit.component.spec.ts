import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatDialogModule } from '@angular/material/dialog';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { Subject } from 'rxjs';

import { DialogSubmitComponent } from './dialog-submit.component';
import { formSubmission } from './form-submission';

@Component({
  imports: [ReactiveFormsModule, MatDialogModule, DialogSubmitComponent],
  template: `
    <form [formGroup]="form" (ngSubmit)="send()" novalidate>
      <input formControlName="name" data-testid="name" />
      <sah-dialog-submit [submission]="submission" busyLabel="Saving" submitTestId="save" errorTestId="error">
        Save
      </sah-dialog-submit>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class HostComponent {
  readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: Validators.required }),
    // Disabled by the dialog itself: a refusal must not enable it.
    id: new FormControl({ value: 'fixed', disabled: true }, { nonNullable: true }),
  });
  readonly submission = formSubmission();
  readonly sent: string[] = [];
  readonly saved: string[] = [];
  answer = new Subject<string>();

  send(): void {
    this.submission.submit(
      this.form,
      () => {
        this.sent.push(this.form.controls.name.value);
        return this.answer;
      },
      (answer) => this.saved.push(answer),
    );
  }
}

describe('DialogSubmitComponent with formSubmission', () => {
  function render() {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const el = (testId: string) => root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    const buttons = () => [...root.querySelectorAll('button')];
    const type = (value: string) => {
      const input = el('name') as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const save = () => {
      (el('save') as HTMLButtonElement).click();
      fixture.detectChanges();
    };
    return { fixture, host: fixture.componentInstance, el, buttons, type, save };
  }

  it('sends nothing while the form is invalid, and shows why (every field touched)', () => {
    const { host, save } = render();
    save();
    expect(host.sent).toEqual([]);
    expect(host.form.controls.name.touched).toBe(true);
  });

  it('waits for the answer once, Cancel and submit disabled with a named spinner, then hands the answer on', () => {
    const { host, type, save, buttons, el, fixture } = render();
    type('Ada');
    save();
    save();
    expect(host.sent).toEqual(['Ada']);
    expect(buttons().map((button) => [button.textContent?.trim(), button.disabled])).toEqual([
      ['Cancel', true],
      ['Save', true],
    ]);
    expect(el('save')?.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe('Saving');
    expect(host.form.disabled).toBe(true);

    host.answer.next('saved Ada');
    fixture.detectChanges();
    expect(host.saved).toEqual(['saved Ada']);
    expect(buttons().every((button) => !button.disabled)).toBe(true);
  });

  it('shows a refusal in the API’s words as an alert and gives the form back as it was, clearing the refusal on the next try', () => {
    const { host, type, save, el, fixture } = render();
    type('Ada');
    save();
    host.answer.error(
      new CombinedGraphQLErrors({
        errors: [{ message: 'Wrong password', extensions: { code: 'BAD_USER_INPUT' } }],
      }),
    );
    fixture.detectChanges();
    expect(el('error')?.textContent?.trim()).toBe('Wrong password');
    expect(el('error')?.getAttribute('role')).toBe('alert');
    expect((el('save') as HTMLButtonElement).disabled).toBe(false);
    expect(host.form.controls.name.enabled).toBe(true);
    expect(host.form.controls.id.disabled).toBe(true);

    host.answer = new Subject<string>();
    save();
    expect(host.sent).toEqual(['Ada', 'Ada']);
    expect(el('error')).toBeNull();
  });
});
