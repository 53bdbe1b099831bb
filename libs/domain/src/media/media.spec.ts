import { Credits } from '../shared/credits';
import {
  assertCancellable,
  chargeOf,
  isTerminal,
  mayTransition,
  MEDIA_MAX_ATTEMPTS,
  MEDIA_TRANSITIONS,
  MediaJobStatus,
  nextDelayMs,
  retryDecision,
  settlementOf,
} from './media-job';
import { assertMediaRequest, assertReferenceImage, MediaModel, priceOf, routesOf } from './media-model';

const image: MediaModel = {
  id: 'gpt-image-1',
  kind: 'image',
  provider: 'openai',
  upstreamModel: 'gpt-image-1',
  fallbacks: [],
  price: Credits.whole(50),
  unit: 'image',
  enabled: true,
};
const perMinute: MediaModel = { ...image, id: 'video-pro', kind: 'video', price: Credits.whole(200), unit: 'minute' };
const sora: MediaModel = { ...image, id: 'sora-2', kind: 'video', price: Credits.whole(30), unit: 'video' };

describe('media prices', () => {
  it('charges 50 credits per image', () => {
    expect(priceOf(image, { n: 1 }).toString()).toBe('50');
    expect(priceOf(image, { n: 3 }).toString()).toBe('150');
  });

  it('charges video per minute pro-rata per second, rounded up to the milli-credit', () => {
    expect(priceOf(perMinute, { seconds: 60 }).toString()).toBe('200');
    expect(priceOf(perMinute, { seconds: 30 }).toString()).toBe('100');
    // 200 × 8 / 60 = 26.666… credits
    expect(priceOf(perMinute, { seconds: 8 }).toString()).toBe('26.667');
  });

  it('charges Sora 2 a flat 30 credits whatever the length', () => {
    expect(priceOf(sora, { seconds: 4 }).toString()).toBe('30');
    expect(priceOf(sora, { seconds: 12 }).toString()).toBe('30');
  });
});

describe('media requests', () => {
  it('refuses a model of the other kind, a disabled model, empty prompts and out-of-range sizes', () => {
    expect(() => assertMediaRequest(sora, 'image', 'a cat', { n: 1 })).toThrow(/makes videos/);
    expect(() => assertMediaRequest({ ...image, enabled: false }, 'image', 'a cat', {})).toThrow(/disabled/);
    expect(() => assertMediaRequest(image, 'image', '   ', {})).toThrow(/prompt/);
    expect(() => assertMediaRequest(image, 'image', 'a cat', { n: 5 })).toThrow(/n must be/);
    expect(() => assertMediaRequest(sora, 'video', 'a cat', { seconds: 0 })).toThrow(/seconds/);
    expect(() => assertMediaRequest(sora, 'video', 'a cat', {})).toThrow(/seconds/);
    expect(() => assertMediaRequest(sora, 'video', 'a cat', { seconds: 8 })).not.toThrow();
  });
});

describe('the media job state machine', () => {
  const all: MediaJobStatus[] = ['queued', 'moderating', 'submitted', 'running', 'succeeded', 'failed', 'cancelled', 'expired'];

  it('lets nothing leave a settled end except a late success after expiry', () => {
    for (const status of all.filter(isTerminal)) {
      const allowed = (Object.keys(MEDIA_TRANSITIONS) as Array<keyof typeof MEDIA_TRANSITIONS>).filter((t) => mayTransition(status, t));
      expect({ status, allowed }).toEqual({ status, allowed: status === 'expired' ? ['reconcileLate'] : [] });
    }
  });

  it('cancels only jobs no provider has seen', () => {
    expect(() => assertCancellable({ status: 'queued' })).not.toThrow();
    expect(() => assertCancellable({ status: 'moderating' })).not.toThrow();
    for (const status of ['submitted', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] as const) {
      expect(() => assertCancellable({ status })).toThrow(/cannot be cancelled/);
    }
  });

  it('captures on success and releases on every other end', () => {
    expect(settlementOf('succeeded')).toBe('capture');
    expect(settlementOf('failed')).toBe('release');
    expect(settlementOf('cancelled')).toBe('release');
    expect(settlementOf('expired')).toBe('release');
    expect(settlementOf('running')).toBeNull();
    expect(chargeOf({ status: 'succeeded', price: Credits.whole(30) }).toString()).toBe('30');
    expect(chargeOf({ status: 'failed', price: Credits.whole(30) }).toString()).toBe('0');
  });

  it('retries retryable failures a bounded number of times, waiting as the provider asks', () => {
    expect(retryDecision(1, true)).toBe('retry');
    expect(retryDecision(MEDIA_MAX_ATTEMPTS, true)).toBe('fail');
    expect(retryDecision(1, false)).toBe('fail');
    expect(nextDelayMs(1, 500)).toBe(500);
    expect(nextDelayMs(3, 500)).toBe(2000);
    expect(nextDelayMs(3, 500, 7000)).toBe(7000);
  });
});

describe('media providers and reference images', () => {
  it('tries a model’s own provider first, then its fallbacks in order', () => {
    const routed = { ...image, fallbacks: [{ provider: 'fal', upstreamModel: 'fal-ai/flux/schnell' }] };
    expect(routesOf(routed)).toEqual([
      { provider: 'openai', upstreamModel: 'gpt-image-1' },
      { provider: 'fal', upstreamModel: 'fal-ai/flux/schnell' },
    ]);
  });

  it('gives each provider of a model its own attempts', () => {
    expect(retryDecision(3, true)).toBe('fail');
    expect(retryDecision(3, true, 2)).toBe('retry');
    expect(retryDecision(6, true, 2)).toBe('fail');
    expect(retryDecision(1, false, 2)).toBe('fail');
  });

  it('takes an https URL or a base64 image data URL as reference, nothing else', () => {
    expect(() => assertReferenceImage('https://images.example.com/a.png')).not.toThrow();
    expect(() => assertReferenceImage('data:image/png;base64,iVBORw0KGgo=')).not.toThrow();
    for (const bad of ['http://images.example.com/a.png', 'file:///etc/passwd', 'data:text/html;base64,PGI+', 'not a url', `https://x.example.com/${'a'.repeat(2100)}`]) {
      expect(() => assertReferenceImage(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});
