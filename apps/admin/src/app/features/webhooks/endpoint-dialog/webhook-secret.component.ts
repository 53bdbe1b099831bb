import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  type ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

import type { WebhookEndpointWithSecret } from '../data-access/webhooks.types';

/**
 * A signing secret shown this once, with a copy button (falling back to selecting the text where
 * the Clipboard API is refused) and, after a rotation, how long the previous secret keeps signing.
 */
@Component({
  selector: 'sah-webhook-secret',
  imports: [DatePipe, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  template: `
    @let shown = issued();
    <p class="webhook-secret__warning" role="alert">
      <mat-icon aria-hidden="true">warning</mat-icon>
      <span>
        Copy the signing secret of {{ shown.endpoint.url }} now. <strong>It will not be shown again</strong>:
        only an encrypted copy is kept.
      </span>
    </p>
    @if (rotated()) {
      <p data-testid="webhook-rotation-overlap">
        The previous secret keeps signing for 24 hours{{
          shown.endpoint.previousSecretExpiresAt
            ? ', until ' + (shown.endpoint.previousSecretExpiresAt | date: 'medium')
            : ''
        }}. Meanwhile every delivery carries both signatures, so receivers can switch to the new secret
        without rejecting anything.
      </p>
    }
    <mat-form-field appearance="outline" subscriptSizing="dynamic" class="webhook-secret__field">
      <mat-label>Signing secret</mat-label>
      <input
        #secretInput
        matInput
        readonly
        [value]="shown.secret"
        (focus)="secretInput.select()"
        data-testid="webhook-secret"
      />
      <button
        mat-icon-button
        matSuffix
        type="button"
        (click)="copy()"
        [attr.aria-label]="copied() === 'copied' ? 'Copied' : 'Copy secret'"
        data-testid="webhook-secret-copy"
      >
        <mat-icon>{{ copied() === 'copied' ? 'check' : 'content_copy' }}</mat-icon>
      </button>
    </mat-form-field>
    <p class="webhook-secret__status" aria-live="polite" data-testid="webhook-secret-copy-status">
      @switch (copied()) {
        @case ('copied') {
          Copied to the clipboard.
        }
        @case ('selected') {
          The secret is selected: press Ctrl+C (⌘C on a Mac) to copy it.
        }
      }
    </p>
    <p class="list-meta">
      Verify each delivery’s <code>webhook-signature</code> header with it, using any Standard Webhooks or
      Svix library.
    </p>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    p {
      margin: 0;
    }
    .webhook-secret__warning {
      display: flex;
      gap: 12px;
      padding: 12px;
      border-radius: 8px;
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
      overflow-wrap: anywhere;
    }
    .webhook-secret__field input {
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    }
    .webhook-secret__status {
      min-height: 1.5em;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookSecretComponent {
  private readonly window = inject(DOCUMENT).defaultView;
  readonly issued = input.required<WebhookEndpointWithSecret>();
  readonly rotated = input(false);

  protected readonly copied = signal<'idle' | 'copied' | 'selected'>('idle');
  private readonly secretInput = viewChild<ElementRef<HTMLInputElement>>('secretInput');

  protected async copy(): Promise<void> {
    try {
      const clipboard = this.window?.navigator.clipboard;
      if (!clipboard) throw new Error('Clipboard API unavailable');
      await clipboard.writeText(this.issued().secret);
      this.copied.set('copied');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
      const field = this.secretInput()?.nativeElement;
      field?.focus();
      field?.select();
      this.copied.set('selected');
    }
  }
}
