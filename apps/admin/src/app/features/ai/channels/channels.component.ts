import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, statusLook, type TableSpec } from '../../../shared/ui/list-page';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { AiApi } from '../data-access/ai.api';
import type { AiChannel, AiChannelTest, AiModel } from '../data-access/ai.types';
import { CIRCUIT_LABELS, CIRCUIT_TONES, providerLabel } from '../ui/ai-labels';
import { openAddProviderKey } from '../provider-keys/add-provider-key-dialog.component';
import { openChannelDialog } from './channel-dialog.component';

/** What a connection test found, in one line for the snack bar. */
export function testOutcome(channel: Pick<AiChannel, 'name'>, test: AiChannelTest): string {
  const answer = test.status === null ? 'no answer' : `HTTP ${test.status}`;
  return `${channel.name}: ${test.ok ? 'reachable' : 'not reachable'} (${answer}, ${test.latencyMs} ms). ${test.message}`;
}

/**
 * AI channels (admins): each a base URL of one protocol with its own keys and the catalogue models it
 * serves. The gateway routes a model's calls among its channels by the model's routing policy
 * (priority, cost or latency) and skips those whose circuit is open. A protocol's configured channel
 * (base URL and keys from the server's configuration) serves every model no other channel lists.
 */
@Component({
  selector: 'sah-channels',
  imports: [LIST_PAGE_IMPORTS],
  templateUrl: './channels.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelsComponent {
  private readonly api = inject(AiApi);
  private readonly actions = listActions();

  protected readonly newChannel = { label: 'New channel', icon: 'add', testId: 'channel-new' };
  protected readonly table: TableSpec<AiChannel> = {
    noun: 'channels',
    columns: [
      { key: 'name', header: 'Channel', cell: (channel) => channel.name },
      { key: 'protocol', header: 'Protocol', cell: (channel) => providerLabel(channel.protocol) },
      {
        key: 'baseUrl',
        header: 'Base URL',
        cell: (channel) => channel.baseUrl ?? 'From the configuration',
        class: 'table-panel__wrap',
      },
      {
        key: 'models',
        header: 'Models',
        cell: (channel) => (channel.configured ? 'Every model no channel lists' : channel.models.map((model) => model.modelId).join(', ')),
        class: 'table-panel__wrap',
      },
      { key: 'routing', header: 'Priority / weight', cell: (channel) => `${channel.priority} / ${channel.weight}` },
      {
        key: 'circuit',
        header: 'Circuit',
        chip: (channel) => statusLook(channel.health.circuit, CIRCUIT_TONES, CIRCUIT_LABELS),
        chipTestId: 'channel-circuit',
      },
      { key: 'keys', header: 'Keys', cell: (channel) => (channel.keyConfigured ? 'Set' : 'None yet') },
      this.actions.enabledSwitch(
        (channel: AiChannel) => channel.name,
        'channel-enabled',
        (channel: AiChannel, enabled: boolean) => ({
          call: () => this.api.setChannelEnabled(channel.id, enabled),
          done: (updated) => `“${updated.name}” is ${updated.enabled ? 'enabled' : 'disabled'}.`,
          then: () => this.list.reload(),
        }),
      ),
      actionsColumn(
        this.actions.button({ label: 'Test', testId: 'channel-test', ariaLabel: (channel: AiChannel) => `Test ${channel.name}` }, (channel: AiChannel) => ({
          call: () => this.api.testChannel(channel.id),
          done: (test) => testOutcome(channel, test),
        })),
        {
          label: 'Edit',
          icon: 'edit',
          testId: 'channel-edit',
          ariaLabel: (channel) => `Edit ${channel.name}`,
          disabled: (channel) => this.actions.isBusy(channel),
          run: (channel) => this.edit(channel),
        },
        {
          label: 'Add key',
          testId: 'channel-add-key',
          ariaLabel: (channel) => `Add a key to ${channel.name}`,
          shown: (channel) => !channel.configured,
          disabled: (channel) => this.actions.isBusy(channel),
          run: (channel) => this.addKey(channel),
        },
        this.actions.irreversible({
          label: 'Delete',
          icon: 'delete',
          name: (channel: AiChannel) => `“${channel.name}”`,
          testId: 'channel-delete',
          shown: (channel) => !channel.configured,
          warning: (channel) => `Calls stop going to ${channel.baseUrl ?? channel.name}, and its keys are erased.`,
          call: (channel) => this.api.deleteChannel(channel.id),
          done: (_deleted, channel) => `“${channel.name}” deleted.`,
          then: () => this.list.reload(),
        }),
      ),
    ],
    testIdPrefix: 'channels',
    rowTestId: 'channel-row',
    rowAttributes: (channel) => ({ 'data-name': channel.name }),
    emptyText: 'No channels yet.',
  };

  protected readonly list = reloadableQuery(() => this.api.channels());

  protected add(): void {
    this.withCatalogue((models) =>
      this.actions.afterDialog(
        (dialog) => openChannelDialog(dialog, { models }),
        (channel) => `Channel “${channel.name}” created.`,
        () => this.list.reload(),
      ),
    );
  }

  private edit(channel: AiChannel): void {
    this.withCatalogue((models) =>
      this.actions.afterDialog(
        (dialog) => openChannelDialog(dialog, { models, channel }),
        (saved) => `“${saved.name}” saved.`,
        () => this.list.reload(),
      ),
    );
  }

  /** The dialog offers the catalogue's models (disabled ones too: a channel may serve them). */
  private withCatalogue(open: (models: readonly AiModel[]) => void): void {
    this.api.models(true).subscribe({
      next: open,
      error: () => this.actions.say('The model catalogue could not be loaded: try again.'),
    });
  }

  private addKey(channel: AiChannel): void {
    this.actions.afterDialog(
      (dialog) => openAddProviderKey(dialog, { channel }),
      (key) => `Key “${key.label}” added to ${channel.name}.`,
      () => this.list.reload(),
    );
  }
}
