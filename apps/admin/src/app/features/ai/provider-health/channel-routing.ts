import type { ProviderChannel, ProviderHealth } from '../data-access/ai.types';
import { providerLabel } from '../ui/ai-labels';

/** A channel as its row shows it: why calls pass it by, and the models it takes, in words. */
export interface ChannelRow extends ProviderChannel {
  /** Why the gateway passes this channel by; null when it takes calls. */
  readonly skipped: string | null;
  readonly modelsText: string;
}

/**
 * The order `priority` routing tries a provider's channels in: lowest priority first; among equals,
 * traffic splits at random by weight, so the heavier (likelier first) one is listed first.
 */
export function channelRows(provider: Pick<ProviderHealth, 'provider' | 'channels'>): readonly ChannelRow[] {
  return [...(provider.channels ?? [])]
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.name.localeCompare(b.name))
    .map((channel) => ({
      ...channel,
      skipped: skipReason(channel),
      modelsText: modelsText(provider.provider, channel),
    }));
}

/** What the gateway checks before it sends a call to a channel (disabled, open circuit, no usable key). */
export function skipReason(
  channel: Pick<ProviderChannel, 'enabled' | 'keyConfigured' | 'health'>,
): string | null {
  if (!channel.enabled) return 'Disabled: calls skip it';
  if (channel.health.circuit === 'open') return 'Circuit open: calls skip it until it cools down';
  if (!channel.keyConfigured) return 'No API key: calls skip it';
  return null;
}

function modelsText(provider: string, channel: Pick<ProviderChannel, 'configured' | 'models'>): string {
  const listed = channel.models.map((model) => model.modelId).join(', ');
  // A protocol's configured channel serves every model of it that no channel lists (and those it lists).
  if (channel.configured)
    return listed
      ? `${listed}, and every ${providerLabel(provider)} model no channel lists`
      : `Every ${providerLabel(provider)} model no channel lists`;
  return listed || 'No models';
}
