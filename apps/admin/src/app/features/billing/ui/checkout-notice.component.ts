import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatIconModule } from '@angular/material/icon';
import { ActivatedRoute } from '@angular/router';

/**
 * What a card says on the way back from Stripe Checkout: the return URLs it gave Stripe end in
 * `?<param>=success` or `?<param>=cancelled`. Nothing without that parameter.
 */
@Component({
  selector: 'sah-checkout-notice',
  imports: [MatIconModule],
  template: `
    @switch (result()) {
      @case ('success') {
        <p class="checkout-notice" role="status" [attr.data-testid]="testIdPrefix() + 'checkout-success'">
          <mat-icon aria-hidden="true">task_alt</mat-icon>
          {{ success() }}
        </p>
      }
      @case ('cancelled') {
        <p
          class="checkout-notice checkout-notice--muted"
          role="status"
          [attr.data-testid]="testIdPrefix() + 'checkout-cancelled'"
        >
          <mat-icon aria-hidden="true">info</mat-icon>
          {{ cancelled() }}
        </p>
      }
    }
  `,
  styles: `
    .checkout-notice {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0 0 16px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }

    .checkout-notice--muted {
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CheckoutNoticeComponent {
  /** The query parameter the return URLs set. */
  readonly param = input.required<string>();
  readonly success = input.required<string>();
  readonly cancelled = input.required<string>();
  /** Before `checkout-success` and `checkout-cancelled` in the notices' `data-testid`. */
  readonly testIdPrefix = input('');

  private readonly query = toSignal(inject(ActivatedRoute).queryParamMap);
  protected readonly result = computed(() => this.query()?.get(this.param()) ?? null);
}
