import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../../config/app-config';
import { Coalescer } from './coalescer';

/**
 * Per endpoint: at most N attempts in flight (a sorted set of holders, so a crashed worker's slot
 * lapses after the attempt deadline) and at most M started per second. Atomic in one script, shared
 * by every worker process; the attempts starting together ask in one call (a pair of keys each).
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local granted = {}
for i = 1, #KEYS / 2 do
  local inflight, started = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('ZREMRANGEBYSCORE', inflight, '-inf', now - ttl)
  if redis.call('ZCARD', inflight) >= tonumber(ARGV[3]) then
    granted[i] = 0
  else
    local count = redis.call('INCR', started)
    if count == 1 then redis.call('PEXPIRE', started, 1000) end
    if count > tonumber(ARGV[4]) then
      granted[i] = -1
    else
      redis.call('ZADD', inflight, now, ARGV[4 + i])
      redis.call('PEXPIRE', inflight, ttl)
      granted[i] = 1
    end
  end
end
return granted`;

interface Slot {
  endpointId: string;
  holder: string;
}

@Injectable()
export class EndpointThrottle {
  private readonly acquiring = new Coalescer<Slot, boolean>((slots) => this.acquireAll(slots));
  private readonly releasing = new Coalescer<Slot, void>((slots) => this.releaseAll(slots));

  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** `true` when the caller may send now (and must `release`); `false`: try again shortly. */
  acquire(endpointId: string, holder: string): Promise<boolean> {
    return this.acquiring.call({ endpointId, holder });
  }

  release(endpointId: string, holder: string): Promise<void> {
    return this.releasing.call({ endpointId, holder });
  }

  private async acquireAll(slots: Slot[]): Promise<boolean[]> {
    const { endpointConcurrency, endpointRatePerSecond, timeoutMs } = this.config.webhooks;
    const second = Math.floor(Date.now() / 1000);
    const granted = (await this.redis.eval(
      ACQUIRE,
      slots.length * 2,
      ...slots.flatMap((slot) => [
        `webhooks:inflight:${slot.endpointId}`,
        `webhooks:rate:${slot.endpointId}:${second}`,
      ]),
      Date.now(),
      timeoutMs + 5_000,
      endpointConcurrency,
      endpointRatePerSecond,
      ...slots.map((slot) => slot.holder),
    )) as number[];
    return granted.map((answer) => answer === 1);
  }

  private async releaseAll(slots: Slot[]): Promise<void[]> {
    const pipeline = this.redis.pipeline();
    for (const slot of slots) pipeline.zrem(`webhooks:inflight:${slot.endpointId}`, slot.holder);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return slots.map(() => undefined);
  }
}
