import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { pollWhile } from '../data-access/poll';
import { WebhooksApi } from '../data-access/webhooks.api';
import type { WebhookAttempt } from '../data-access/webhooks.types';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { DELIVERY_STATUS_LABELS, DELIVERY_STATUS_TONES } from './deliveries-filter';

export interface DeliveryDetailData {
  readonly deliveryId: string;
  /** The endpoint's URL when the page knows it. */
  readonly endpointUrl?: string;
}

/** How often an open delivery that is still on its way is read again. */
const DETAIL_POLL_MS = 1000;

/**
 * One delivery and every attempt at it, oldest first: the signed request (headers, body) and what
 * the endpoint answered (status, headers, the first 4 kB of the body, duration, error). Replaying
 * sends the same message again, with the same `webhook-id`, as a new round of attempts.
 */
@Component({
  selector: 'sah-webhook-delivery-detail-dialog',
  imports: [
    DatePipe,
    MatButtonModule,
    MatDialogModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    StatusChipComponent,
  ],
  templateUrl: './delivery-detail-dialog.component.html',
  styleUrl: './delivery-detail-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveryDetailDialogComponent {
  private readonly api = inject(WebhooksApi);
  protected readonly data = inject<DeliveryDetailData>(MAT_DIALOG_DATA);

  protected readonly detail = reloadableQuery(() =>
    pollWhile(
      () => this.api.delivery(this.data.deliveryId),
      (delivery) => delivery.status === 'PENDING',
      DETAIL_POLL_MS,
    ),
  );
  protected readonly attempts = computed(() =>
    (this.detail.value()?.attempts ?? []).map((attempt) => ({ ...attempt, view: attemptView(attempt) })),
  );
  protected readonly replaying = signal(false);
  protected readonly replayError = signal<string | null>(null);
  protected readonly statusLabels = DELIVERY_STATUS_LABELS;
  protected readonly statusTones = DELIVERY_STATUS_TONES;

  protected replay(): void {
    if (this.replaying()) return;
    this.replaying.set(true);
    this.replayError.set(null);
    this.api.replay(this.data.deliveryId).subscribe({
      next: () => {
        this.replaying.set(false);
        this.detail.reload();
      },
      error: (error: unknown) => {
        this.replaying.set(false);
        this.replayError.set(toAppError(error).message);
      },
    });
  }
}

interface AttemptView {
  readonly webhookId: string | null;
  readonly requestHeaders: string;
  readonly responseHeaders: string | null;
  readonly requestBody: string;
}

/** The logged headers are JSON objects: shown indented, with the `webhook-id` picked out. */
function attemptView(attempt: WebhookAttempt): AttemptView {
  const request = parseObject(attempt.requestHeaders);
  const webhookId = request?.['webhook-id'];
  return {
    webhookId: typeof webhookId === 'string' ? webhookId : null,
    requestHeaders: request ? JSON.stringify(request, null, 2) : attempt.requestHeaders,
    responseHeaders: attempt.responseHeaders ? indent(attempt.responseHeaders) : null,
    requestBody: indent(attempt.requestBody),
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function indent(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
