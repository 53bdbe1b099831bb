import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';

import { PasswordPairComponent, passwordPair } from './password-pair.component';

@Component({
  imports: [ReactiveFormsModule, PasswordPairComponent],
  template: `
    <form [formGroup]="form" (ngSubmit)="form.markAllAsTouched()">
      <sah-password-pair [pair]="form.controls.password" rulesId="rules" testIdPrefix="pw" />
      <button type="submit" data-testid="submit">Save</button>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class FormHostComponent {
  readonly form = new FormGroup({ password: passwordPair() });
}

describe('PasswordPairComponent', () => {
  function render() {
    const fixture = TestBed.createComponent(FormHostComponent);
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const el = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`);
    const type = (id: string, text: string) => {
      const input = el<HTMLInputElement>(id);
      if (!input) throw new Error(`no ${id}`);
      input.value = text;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('blur'));
      fixture.detectChanges();
    };
    return { fixture, root, el, type, form: fixture.componentInstance.form };
  }

  it('describes the new password by the rules list, ticking rules off while typing', () => {
    const { root, el, type } = render();
    expect(el('pw-new')?.getAttribute('aria-describedby')).toBe('rules');
    expect(el('pw-new')?.getAttribute('autocomplete')).toBe('new-password');
    expect(root.querySelector('#rules')).not.toBeNull();

    type('pw-new', 'Abcdefgh');
    const met = [...root.querySelectorAll('#rules li')].map((rule) => rule.getAttribute('data-met'));
    expect(met).toEqual(['true', 'true', 'false']);
  });

  it('shows the errors of an untouched pair when the page marks it touched on submit', () => {
    const { fixture, root, el, form } = render();
    el('submit')?.click();
    fixture.detectChanges();
    expect(form.invalid).toBe(true);
    expect(root.textContent).toContain('Enter a new password.');
    expect(root.textContent).toContain('Repeat the new password.');
  });

  it('says when the two differ, and is valid once they match a strong password', () => {
    const { el, type, form } = render();
    type('pw-new', 'Abcdefg1');
    type('pw-confirm', 'Abcdefg2');
    expect(el('pw-mismatch')?.getAttribute('role')).toBe('alert');
    expect(form.valid).toBe(false);

    type('pw-confirm', 'Abcdefg1');
    expect(el('pw-mismatch')).toBeNull();
    expect(form.getRawValue().password).toEqual({ newPassword: 'Abcdefg1', confirmPassword: 'Abcdefg1' });
  });
});
