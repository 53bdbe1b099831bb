import { Credits } from '../shared/credits';
import { assertFitsContext, costOf, outputBudget } from './ai-model';
import { systemPrompt } from './chat';
import { CircuitBreaker } from './circuit-breaker';
import { retryDelayMs } from './retry-policy';
import { estimatePromptTokens } from './token-estimate';

describe('AI pricing', () => {
  const model = { inputPrice: Credits.whole(10), outputPrice: Credits.whole(10) };

  it('charges tokens × price per 1,000 exactly, rounding up to the next milli-credit', () => {
    expect(costOf(model, { inputTokens: 1000, outputTokens: 500 }).toString()).toBe('15');
    expect(costOf(model, { inputTokens: 1, outputTokens: 0 }).toString()).toBe('0.01');
    expect(costOf({ inputPrice: Credits.whole(1), outputPrice: Credits.parse('0.3') }, { inputTokens: 1, outputTokens: 1 }).toString()).toBe('0.002');
    expect(costOf(model, { inputTokens: 0, outputTokens: 0 }).toString()).toBe('0');
  });

  it('bills input read from the prompt cache at the cache price, the rest at the input price', () => {
    const cached = { ...model, cachedInputPrice: Credits.whole(1) };
    expect(costOf(cached, { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 800 }).toString()).toBe('3.8');
    expect(costOf(model, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 800 }).toString()).toBe('10');
    expect(costOf(cached, { inputTokens: 10, outputTokens: 0, cachedInputTokens: 50 }).toString()).toBe('0.01');
  });

  it('budgets output by the request clamped to the model, else the model capped by the default', () => {
    expect(outputBudget({ maxOutputTokens: 8192 }, 100, 1024)).toBe(100);
    expect(outputBudget({ maxOutputTokens: 8192 }, undefined, 1024)).toBe(1024);
    expect(outputBudget({ maxOutputTokens: 512 }, undefined, 1024)).toBe(512);
    expect(outputBudget({ maxOutputTokens: 512 }, 128_000, 1024)).toBe(512);
    expect(() => outputBudget({ maxOutputTokens: 512 }, 0, 1024)).toThrow(/positive/);
  });

  it('refuses a request that cannot fit the context window', () => {
    expect(() => assertFitsContext({ id: 'm', contextWindow: 100 }, 60, 50)).toThrow(/context window of 100/);
    expect(() => assertFitsContext({ id: 'm', contextWindow: 100 }, 50, 50)).not.toThrow();
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'x'.repeat(400) }] })).toBe(107);
  });
});

describe('retry policy', () => {
  it('backs off 1 s, 2 s, 4 s with at most 20% jitter, and honours Retry-After', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, undefined, 1000, () => 0))).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(3, undefined, 1000, () => 0.999)).toBeLessThanOrEqual(4800);
    expect(retryDelayMs(1, 3000, 1000, () => 0.5)).toBe(3000);
    expect(retryDelayMs(1, 10 * 60_000)).toBe(60_000);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one trial through after the pause, closes on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000 });
    breaker.recordFailure(0);
    breaker.recordFailure(1);
    expect(breaker.allows(2)).toBe(true);
    breaker.recordFailure(2);
    expect(breaker.stateAt(3)).toBe('open');
    expect(breaker.allows(500)).toBe(false);
    expect(breaker.allows(1002)).toBe(true);
    expect(breaker.allows(1003)).toBe(false);
    breaker.recordSuccess();
    expect(breaker.stateAt(1004)).toBe('closed');
  });

  it('opens again at once when the trial fails', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 1000 });
    breaker.recordFailure(0);
    expect(breaker.allows(1000)).toBe(true);
    breaker.recordFailure(1000);
    expect(breaker.allows(1500)).toBe(false);
  });
});

describe('system prompt', () => {
  it('joins instructions from several places as paragraphs, and is absent when there are none', () => {
    expect(systemPrompt(['Be brief.', 'Answer in French.'])).toBe('Be brief.\n\nAnswer in French.');
    expect(systemPrompt([''])).toBe('');
    expect(systemPrompt([])).toBeUndefined();
  });
});
