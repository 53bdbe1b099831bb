import { aProviderChannel } from '../testing/ai-fixtures';
import { channelRows, skipReason } from './channel-routing';

describe('channel routing rows', () => {
  it('orders by priority, then the heavier weight, then name', () => {
    const rows = channelRows({
      provider: 'openai',
      channels: [
        aProviderChannel({ id: 'c', name: 'c', priority: 1 }),
        aProviderChannel({ id: 'b', name: 'b', weight: 2 }),
        aProviderChannel({ id: 'z', name: 'z', weight: 5 }),
        aProviderChannel({ id: 'a', name: 'a', weight: 2 }),
      ],
    });
    expect(rows.map((row) => row.name)).toEqual(['z', 'a', 'b', 'c']);
    expect(channelRows({ provider: 'openai', channels: null })).toEqual([]);
  });

  it('names why calls skip a channel: disabled, then an open circuit, then no key; half-open still takes a trial call', () => {
    const circuit = (state: string) => ({ ...aProviderChannel().health, circuit: state });
    expect(skipReason(aProviderChannel({ enabled: false, health: { circuit: 'open' } }))).toBe(
      'Disabled: calls skip it',
    );
    expect(skipReason(aProviderChannel({ keyConfigured: false, health: { circuit: 'open' } }))).toContain(
      'Circuit open',
    );
    expect(skipReason(aProviderChannel({ keyConfigured: false }))).toBe('No API key: calls skip it');
    expect(skipReason({ enabled: true, keyConfigured: true, health: circuit('half_open') })).toBeNull();
  });

  it('says which models a channel takes, the configured one taking every model no channel lists', () => {
    const [listed, configured, bare] = channelRows({
      provider: 'anthropic',
      channels: [
        aProviderChannel({
          id: '1',
          name: '1',
          configured: false,
          models: [{ modelId: 'claude-a' }, { modelId: 'claude-b' }],
        }),
        aProviderChannel({ id: '2', name: '2', priority: 1, models: [{ modelId: 'claude-c' }] }),
        aProviderChannel({ id: '3', name: '3', priority: 2, configured: false }),
      ],
    });
    expect([listed?.modelsText, configured?.modelsText, bare?.modelsText]).toEqual([
      'claude-a, claude-b',
      'claude-c, and every Anthropic model no channel lists',
      'No models',
    ]);
  });
});
