import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';
import type { AiModel } from './ai-model';
import type { ProviderName } from './chat';

export const ROUTING_POLICIES = ['priority', 'cost', 'latency'] as const;
/** How a model's calls choose among the channels serving it. */
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

export function isRoutingPolicy(value: string): value is RoutingPolicy {
  return (ROUTING_POLICIES as readonly string[]).includes(value);
}

/** A model a channel serves, under the channel's own name for it and at what the channel charges the hub. */
export interface ChannelModel {
  modelId: string;
  /** The name the channel's service knows the model by; absent = the catalogue's upstream name. */
  upstreamModel: string | null;
  /** What the channel costs the hub per 1,000 tokens (for `cost` routing); absent = the catalogue's price. */
  inputPrice: Credits | null;
  outputPrice: Credits | null;
}

/**
 * A place the hub sends calls to: a protocol, a base URL and its keys, serving some models. Each
 * protocol has one configured channel (`baseUrl` null: the base URL and keys of the configuration);
 * any OpenAI-compatible service is an `openai` channel with its own base URL.
 */
export interface AiChannel {
  id: string;
  protocol: ProviderName;
  name: string;
  baseUrl: string | null;
  /** Lower first under `priority` routing. */
  priority: number;
  /** Among channels of equal priority, traffic is split in proportion to weight. */
  weight: number;
  enabled: boolean;
  models: ChannelModel[];
}

export const MAX_CHANNEL_PRIORITY = 1_000_000;
export const MAX_CHANNEL_WEIGHT = 10_000;

/** The key a channel's circuit, health and keys go by: the protocol for a configured channel, else its id. */
export function channelKey(channel: Pick<AiChannel, 'id' | 'protocol' | 'baseUrl'>): string {
  return channel.baseUrl === null ? channel.protocol : channel.id;
}

/**
 * The enabled channels that serve a model: those listing it; a model no channel lists is served by
 * its protocol's configured channel (so a new catalogue model works without routing set up).
 */
export function channelsServing(channels: readonly AiChannel[], model: Pick<AiModel, 'id' | 'provider'>): AiChannel[] {
  const listing = channels.filter((channel) => channel.protocol === model.provider && channel.models.some((entry) => entry.modelId === model.id));
  if (listing.length > 0) return listing.filter((channel) => channel.enabled);
  return channels.filter((channel) => channel.enabled && channel.baseUrl === null && channel.protocol === model.provider);
}

export interface RoutingFacts {
  /** Recent median latency of a channel's successful calls; null when it has none recent enough. */
  latencyMs(channel: AiChannel): number | null;
  /** A number in [0, 1), for the weighted split. */
  random(): number;
}

/**
 * The order to try a model's channels in. `priority`: lowest number first, equals split at random
 * by weight. `cost`: the channel charging least for the model first (sum of its per-1,000 prices).
 * `latency`: the lowest recent latency first; a channel without recent figures goes first, so it gets
 * measured (again). Ties fall back to priority order.
 */
export function orderChannels(channels: readonly AiChannel[], model: AiModel, policy: RoutingPolicy, facts: RoutingFacts): AiChannel[] {
  const byPriority = weightedByPriority(channels, facts.random);
  if (policy === 'priority') return byPriority;
  const rank = new Map(byPriority.map((channel, index) => [channel.id, index]));
  const score = (channel: AiChannel): number => {
    if (policy === 'cost') return Number(channelPriceOf(channel, model).millis);
    return facts.latencyMs(channel) ?? -1;
  };
  return [...byPriority].sort((a, b) => score(a) - score(b) || (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
}

/** What a channel charges for 1,000 tokens in plus 1,000 out of the model. */
export function channelPriceOf(channel: AiChannel, model: Pick<AiModel, 'id' | 'inputPrice' | 'outputPrice'>): Credits {
  const entry = channel.models.find((candidate) => candidate.modelId === model.id);
  return (entry?.inputPrice ?? model.inputPrice).plus(entry?.outputPrice ?? model.outputPrice);
}

/** The model under the channel's name for it. */
export function asServedBy(channel: AiChannel, model: AiModel): AiModel {
  const upstream = channel.models.find((entry) => entry.modelId === model.id)?.upstreamModel;
  return upstream ? { ...model, upstreamModel: upstream } : model;
}

function weightedByPriority(channels: readonly AiChannel[], random: () => number): AiChannel[] {
  const priorities = [...new Set(channels.map((channel) => channel.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) => weightedShuffle(channels.filter((channel) => channel.priority === priority), random));
}

/** Each next channel drawn with probability proportional to its weight among those left. */
function weightedShuffle(channels: AiChannel[], random: () => number): AiChannel[] {
  const left = [...channels];
  const order: AiChannel[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, channel) => sum + Math.max(channel.weight, 0), 0);
    let point = random() * total;
    let index = left.findIndex((channel) => (point -= Math.max(channel.weight, 0)) < 0);
    if (index < 0) index = 0;
    order.push(...left.splice(index, 1));
  }
  return order;
}

/** The checks of a channel's own fields (its base URL's addresses are checked where it is resolved). */
export function assertChannelFields(fields: { name: string; priority: number; weight: number }): void {
  if (fields.name.length < 1 || fields.name.length > 100) throw DomainError.badInput('name must be 1 to 100 characters', { field: 'name' });
  if (!Number.isInteger(fields.priority) || fields.priority < 0 || fields.priority > MAX_CHANNEL_PRIORITY) {
    throw DomainError.badInput(`priority must be an integer from 0 to ${MAX_CHANNEL_PRIORITY}`, { field: 'priority' });
  }
  if (!Number.isInteger(fields.weight) || fields.weight < 1 || fields.weight > MAX_CHANNEL_WEIGHT) {
    throw DomainError.badInput(`weight must be an integer from 1 to ${MAX_CHANNEL_WEIGHT}`, { field: 'weight' });
  }
}
