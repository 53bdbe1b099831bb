import { Credits } from '../shared/credits';
import type { AiModel } from './ai-model';
import { AiChannel, asServedBy, channelKey, channelsServing, orderChannels } from './channel';

const model: AiModel = {
  id: 'm',
  provider: 'openai',
  upstreamModel: 'm-up',
  aliases: [],
  contextWindow: 1000,
  maxOutputTokens: 100,
  inputPrice: Credits.whole(10),
  outputPrice: Credits.whole(10),
  enabled: true,
  fallbackModelId: null,
};

function channel(id: string, fields: Partial<AiChannel> = {}): AiChannel {
  return { id, protocol: 'openai', name: id, baseUrl: `https://${id}.example`, priority: 0, weight: 1, enabled: true, models: [], ...fields };
}
const serving = (price?: number, upstreamModel: string | null = null) => [
  { modelId: 'm', upstreamModel, inputPrice: price === undefined ? null : Credits.whole(price), outputPrice: null },
];
const facts = (latency: Record<string, number | null> = {}, draws: number[] = []) => ({
  latencyMs: (c: AiChannel) => latency[c.id] ?? null,
  random: () => draws.shift() ?? 0,
});

describe('AI channels', () => {
  it('serves a model from the channels listing it, else from its protocol’s configured channel', () => {
    const configured = channel('conf', { baseUrl: null });
    const listing = channel('a', { models: serving() });
    expect(channelsServing([configured, listing], model).map((c) => c.id)).toEqual(['a']);
    expect(channelsServing([configured, channel('b')], model).map((c) => c.id)).toEqual(['conf']);
    expect(channelsServing([configured, channel('a', { models: serving(), enabled: false })], model)).toEqual([]);
    expect(channelsServing([channel('x', { baseUrl: null, protocol: 'anthropic' })], model)).toEqual([]);
    expect(channelKey(configured)).toBe('openai');
    expect(channelKey(listing)).toBe('a');
  });

  it('orders by priority, splitting equals by weight', () => {
    const channels = [channel('low', { priority: 5 }), channel('a', { weight: 1 }), channel('b', { weight: 3 })];
    // A draw in the first quarter picks a (weight 1 of 4), past it b.
    expect(orderChannels(channels, model, 'priority', facts({}, [0.1, 0])).map((c) => c.id)).toEqual(['a', 'b', 'low']);
    expect(orderChannels(channels, model, 'priority', facts({}, [0.5, 0])).map((c) => c.id)).toEqual(['b', 'a', 'low']);
  });

  it('orders by the channel’s price, or by recent latency with unmeasured channels first', () => {
    const channels = [channel('dear', { models: serving(20) }), channel('cheap', { priority: 9, models: serving(1) }), channel('list', { models: serving() })];
    expect(orderChannels(channels, model, 'cost', facts()).map((c) => c.id)).toEqual(['cheap', 'list', 'dear']);
    expect(orderChannels(channels, model, 'latency', facts({ dear: 30, cheap: 10 })).map((c) => c.id)).toEqual(['list', 'cheap', 'dear']);
  });

  it('names the model as the channel knows it', () => {
    expect(asServedBy(channel('a', { models: serving(undefined, 'other-name') }), model).upstreamModel).toBe('other-name');
    expect(asServedBy(channel('a', { models: serving() }), model).upstreamModel).toBe('m-up');
  });
});
