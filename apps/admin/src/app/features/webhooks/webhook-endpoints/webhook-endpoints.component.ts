import { DatePipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { filter, type Observable } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { WebhooksApi } from '../data-access/webhooks.api';
import type { WebhookEndpoint } from '../data-access/webhooks.types';
import { WebhookDeliveriesComponent } from '../deliveries/webhook-deliveries.component';
import {
  EndpointDialogComponent,
  type EndpointDialogData,
  type EndpointDialogResult,
} from '../endpoint-dialog/endpoint-dialog.component';
import { RecoverDialogComponent } from '../recover-dialog/recover-dialog.component';

const DIALOG_SIZE = { width: '36rem', maxWidth: 'calc(100vw - 32px)' } as const;

/**
 * Webhooks: the caller's endpoints (an admin's: everyone's) with their state and success rate,
 * managed in place, and the delivery log below them.
 */
@Component({
  selector: 'sah-webhook-endpoints',
  imports: [
    DatePipe,
    PercentPipe,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    ErrorStateComponent,
    LIST_PAGE_IMPORTS,
    WebhookDeliveriesComponent,
  ],
  templateUrl: './webhook-endpoints.component.html',
  styleUrl: './webhook-endpoints.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookEndpointsComponent {
  private readonly api = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  /** Admins see every endpoint (with its owner) and may create platform-wide ones. */
  protected readonly isAdmin = inject(AuthStore).can('webhooks:admin');

  protected readonly eventTypes = reloadableQuery(() => this.api.eventTypes());
  protected readonly endpoints = reloadableQuery(() => this.api.endpoints());
  /** The endpoint an action is running for: its buttons wait. */
  protected readonly busy = signal<string | null>(null);
  private readonly deliveries = viewChild(WebhookDeliveriesComponent);

  protected readonly isNarrow = narrowScreen(839);
  protected readonly shownColumns = computed(() =>
    this.isNarrow() ? ['url', 'status', 'actions'] : ['url', 'events', 'status', 'successRate', 'actions'],
  );

  protected readonly newEndpoint = { label: 'New endpoint', icon: 'add', testId: 'webhook-new' };
  protected readonly table: TableSpec<WebhookEndpoint> = {
    noun: 'endpoints',
    columns: [
      { key: 'url', header: 'Endpoint', class: 'table-panel__wrap' },
      { key: 'events', header: 'Events' },
      { key: 'status', header: 'Status' },
      {
        key: 'successRate',
        header: 'Success rate',
        class: 'table-panel__number',
        testId: 'endpoint-success-rate',
      },
      actionsColumn(),
    ],
    testIdPrefix: 'webhook-endpoints',
    rowTestId: 'webhook-endpoint-row',
    rowAttributes: (endpoint) => ({
      'data-id': endpoint.id,
      'data-url': endpoint.url,
      'data-enabled': String(endpoint.enabled),
    }),
    emptyText: 'No endpoints yet: add one to receive events.',
  };

  protected create(): void {
    this.openEndpointDialog({ allowPlatformWide: this.isAdmin });
  }

  protected edit(endpoint: WebhookEndpoint): void {
    this.openEndpointDialog({ endpoint });
  }

  protected sendTest(endpoint: WebhookEndpoint): void {
    this.run(endpoint, this.api.sendTest(endpoint.id), () => {
      this.snackBar.open('A webhook.test event is on its way: follow it in the delivery log.', 'OK', {
        duration: 5000,
      });
      this.deliveries()?.reload();
    });
  }

  protected rotate(endpoint: WebhookEndpoint): void {
    confirmAction(this.dialog, {
      title: 'Rotate the signing secret?',
      message:
        `${endpoint.url} gets a new secret, shown once. The current one keeps signing for 24 hours: ` +
        'meanwhile every delivery carries both signatures, so receivers can switch without rejecting any.',
      confirmLabel: 'Rotate secret',
    })
      .pipe(filter(Boolean))
      .subscribe(() =>
        this.run(endpoint, this.api.rotateSecret(endpoint.id), (issued) =>
          this.openEndpointDialog({ issued }),
        ),
      );
  }

  protected setEnabled(endpoint: WebhookEndpoint, enabled: boolean): void {
    const change = () =>
      this.run(endpoint, this.api.updateEndpoint({ id: endpoint.id, enabled }), () => {
        this.snackBar.open(`${endpoint.url} ${enabled ? 'enabled' : 'disabled'}.`, 'OK', { duration: 5000 });
        this.endpoints.reload();
      });
    if (enabled) {
      change();
      return;
    }
    confirmAction(this.dialog, {
      title: 'Disable this endpoint?',
      message: `${endpoint.url} receives no events while disabled, and the ones from meanwhile are not sent later.`,
      confirmLabel: 'Disable',
      destructive: true,
    })
      .pipe(filter(Boolean))
      .subscribe(change);
  }

  protected remove(endpoint: WebhookEndpoint): void {
    confirmAction(this.dialog, {
      title: 'Delete this endpoint?',
      message: `${endpoint.url} stops receiving events at once and its delivery log goes with it. This cannot be undone.`,
      confirmLabel: 'Delete endpoint',
      destructive: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() =>
        this.run(endpoint, this.api.deleteEndpoint(endpoint.id), () => {
          this.snackBar.open(`${endpoint.url} deleted.`, 'OK', { duration: 5000 });
          this.endpoints.reload();
          this.deliveries()?.reload();
        }),
      );
  }

  protected recover(endpoint: WebhookEndpoint): void {
    this.dialog
      .open<RecoverDialogComponent, WebhookEndpoint, boolean>(RecoverDialogComponent, {
        data: endpoint,
        ...DIALOG_SIZE,
      })
      .afterClosed()
      .pipe(filter((started) => started === true))
      .subscribe(() => {
        this.snackBar.open('Failed deliveries are being sent again in the background.', 'OK', {
          duration: 5000,
        });
        this.deliveries()?.reload();
      });
  }

  protected eventsLabel(endpoint: WebhookEndpoint): string {
    return endpoint.eventTypes.length === 0 ? 'All events' : endpoint.eventTypes.join(', ');
  }

  private openEndpointDialog(data: Omit<EndpointDialogData, 'eventTypes'>): void {
    this.dialog
      .open<EndpointDialogComponent, EndpointDialogData, EndpointDialogResult>(EndpointDialogComponent, {
        data: { eventTypes: this.eventTypes.value() ?? [], ...data },
        ...DIALOG_SIZE,
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((changed) => changed === true || data.issued !== undefined))
      .subscribe(() => this.endpoints.reload());
  }

  /** One endpoint action: its buttons wait meanwhile, a failure says why. */
  private run<T>(endpoint: WebhookEndpoint, action: Observable<T>, done: (value: T) => void): void {
    this.busy.set(endpoint.id);
    action.subscribe({
      next: (value) => {
        this.busy.set(null);
        done(value);
      },
      error: (error: unknown) => {
        this.busy.set(null);
        this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
      },
    });
  }
}
