import { DatePipe, formatPercent } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { filter } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions } from '../../../shared/ui/list-actions';
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
  /** Admins see every endpoint (with its owner) and may create platform-wide ones. */
  protected readonly isAdmin = inject(AuthStore).can('webhooks:admin');

  protected readonly eventTypes = reloadableQuery(() => this.api.eventTypes());
  protected readonly endpoints = reloadableQuery(() => this.api.endpoints());
  /** Calls for one endpoint: its buttons wait meanwhile. */
  protected readonly actions = listActions();
  private readonly deliveries = viewChild(WebhookDeliveriesComponent);

  protected readonly isNarrow = narrowScreen(839);

  protected readonly newEndpoint = { label: 'New endpoint', icon: 'add', testId: 'webhook-new' };
  protected readonly table: TableSpec<WebhookEndpoint> = {
    noun: 'endpoints',
    columns: [
      { key: 'url', header: 'Endpoint', class: 'table-panel__wrap' },
      {
        key: 'events',
        header: 'Events',
        cell: (endpoint) => (endpoint.eventTypes.length === 0 ? 'All events' : endpoint.eventTypes.join(', ')),
        class: 'table-panel__wrap',
      },
      { key: 'status', header: 'Status' },
      {
        key: 'successRate',
        header: 'Success rate',
        cell: (endpoint, locale) =>
          endpoint.successRate === null ? '—' : formatPercent(endpoint.successRate, locale, '1.0-1'),
        class: 'table-panel__number',
        testId: 'endpoint-success-rate',
      },
      actionsColumn(),
    ],
    narrowColumns: ['url', 'status', 'actions'],
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
    this.actions.run(endpoint, {
      call: () => this.api.sendTest(endpoint.id),
      done: () => 'A webhook.test event is on its way: follow it in the delivery log.',
      then: () => this.deliveries()?.reload(),
    });
  }

  protected rotate(endpoint: WebhookEndpoint): void {
    this.actions.run(endpoint, {
      confirm: {
        title: 'Rotate the signing secret?',
        message:
          `${endpoint.url} gets a new secret, shown once. The current one keeps signing for 24 hours: ` +
          'meanwhile every delivery carries both signatures, so receivers can switch without rejecting any.',
        confirmLabel: 'Rotate secret',
      },
      call: () => this.api.rotateSecret(endpoint.id),
      then: (issued) => this.openEndpointDialog({ issued }),
    });
  }

  protected setEnabled(endpoint: WebhookEndpoint, enabled: boolean): void {
    this.actions.run(endpoint, {
      // Turning events off loses those of meanwhile: asked first; turning them on is not.
      confirm: enabled
        ? undefined
        : {
            title: 'Disable this endpoint?',
            message: `${endpoint.url} receives no events while disabled, and the ones from meanwhile are not sent later.`,
            confirmLabel: 'Disable',
            destructive: true,
          },
      call: () => this.api.updateEndpoint({ id: endpoint.id, enabled }),
      done: () => `${endpoint.url} ${enabled ? 'enabled' : 'disabled'}.`,
      then: () => this.endpoints.reload(),
    });
  }

  protected remove(endpoint: WebhookEndpoint): void {
    this.actions.run(endpoint, {
      confirm: {
        title: 'Delete this endpoint?',
        message: `${endpoint.url} stops receiving events at once and its delivery log goes with it. This cannot be undone.`,
        confirmLabel: 'Delete endpoint',
        destructive: true,
      },
      call: () => this.api.deleteEndpoint(endpoint.id),
      done: () => `${endpoint.url} deleted.`,
      then: () => {
        this.endpoints.reload();
        this.deliveries()?.reload();
      },
    });
  }

  protected recover(endpoint: WebhookEndpoint): void {
    this.actions.afterDialog(
      (dialog) =>
        dialog
          .open<RecoverDialogComponent, WebhookEndpoint, boolean>(RecoverDialogComponent, {
            data: endpoint,
            ...DIALOG_SIZE,
          })
          .afterClosed(),
      () => 'Failed deliveries are being sent again in the background.',
      () => this.deliveries()?.reload(),
    );
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
}
