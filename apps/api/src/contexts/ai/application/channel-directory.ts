import { Injectable } from '@nestjs/common';
import { AiChannel, AiModel, channelKey, channelsServing, orderChannels } from '@sah/domain';
import { AiChannelRepository } from '@sah/infrastructure';
import { ExpiringLoad } from '../../../platform/cache/expiring-load';
import { ProviderHealth } from './provider-health';

const CACHE_MS = 10_000;

/** A channel as a call uses it: where to send, whose circuit and keys. */
export interface RoutedChannel {
  id: string;
  name: string;
  /** `channelKey`: the protocol for a configured channel, else the id. */
  key: string;
  /** An admin's base URL; absent for a configured channel (the adapters use the configuration's). */
  baseUrl?: string;
  channel: AiChannel;
}

/**
 * The channels as the gateway reads them: from memory, refreshed every few seconds (and at once in
 * the process where an admin edits them), and the order a model's calls try them in.
 */
@Injectable()
export class ChannelDirectory {
  private readonly channels: ExpiringLoad<AiChannel[]>;

  constructor(
    repository: AiChannelRepository,
    private readonly health: ProviderHealth,
  ) {
    this.channels = new ExpiringLoad(() => repository.all(), CACHE_MS);
  }

  all(): Promise<AiChannel[]> {
    return this.channels.get();
  }

  invalidate(): void {
    this.channels.invalidate();
  }

  /** The enabled channels serving the model, in the order of its routing policy. */
  async route(model: AiModel): Promise<RoutedChannel[]> {
    const serving = channelsServing(await this.all(), model);
    const ordered = orderChannels(serving, model, model.routingPolicy ?? 'priority', {
      latencyMs: (channel) => this.health.routingLatencyMs(channelKey(channel)),
      random: Math.random,
    });
    return ordered.map(routed);
  }
}

export function routed(channel: AiChannel): RoutedChannel {
  return {
    id: channel.id,
    name: channel.name,
    key: channelKey(channel),
    ...(channel.baseUrl !== null ? { baseUrl: channel.baseUrl } : {}),
    channel,
  };
}
