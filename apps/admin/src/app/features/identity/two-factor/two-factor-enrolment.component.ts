import { ChangeDetectionStrategy, Component, inject, input, OnInit, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { QrCodeComponent } from '../../../shared/ui/qr-code/qr-code.component';
import {
  TwoFactorApi,
  type TwoFactorConfirmation,
  type TwoFactorEnrolment,
} from '../data-access/two-factor.api';

/**
 * Sets up an authenticator app: a fresh secret as a QR code and as text, confirmed with a first
 * code; then the ten recovery codes, shown this once. Emits when the user has saved them.
 */
@Component({
  selector: 'sah-two-factor-enrolment',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    QrCodeComponent,
  ],
  templateUrl: './two-factor-enrolment.component.html',
  styleUrl: './two-factor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TwoFactorEnrolmentComponent implements OnInit {
  private readonly api = inject(TwoFactorApi);

  /** The ENROL challenge of a sign-in, when the user is not signed in yet. */
  readonly challengeToken = input<string>();
  readonly finished = output<TwoFactorConfirmation>();
  readonly cancelled = output<void>();

  protected readonly enrolment = signal<TwoFactorEnrolment | null>(null);
  protected readonly confirmation = signal<TwoFactorConfirmation | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, Validators.pattern(/^\s*\d{3}\s?\d{3}\s*$/)]],
  });

  ngOnInit(): void {
    this.busy.set(true);
    this.api.enrol(this.challengeToken()).subscribe({
      next: (enrolment) => {
        this.enrolment.set(enrolment);
        this.busy.set(false);
      },
      error: (error: unknown) => this.fail(error),
    });
  }

  protected confirm(): void {
    if (this.busy()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    this.api.confirm(this.form.getRawValue().code.replace(/\s+/g, ''), this.challengeToken()).subscribe({
      next: (confirmation) => {
        this.confirmation.set(confirmation);
        this.busy.set(false);
      },
      error: (error: unknown) => this.fail(error),
    });
  }

  protected done(): void {
    const confirmation = this.confirmation();
    if (confirmation) this.finished.emit(confirmation);
  }

  private fail(error: unknown): void {
    this.error.set(toAppError(error).message);
    this.busy.set(false);
  }
}
