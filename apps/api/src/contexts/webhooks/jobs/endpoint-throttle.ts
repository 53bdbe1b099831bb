import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../../config/app-config';

/**
 * Per endpoint: at most N attempts in flight (a sorted set of holders, so a crashed worker's slot
 * lapses after the attempt deadline) and at most M started per second. Atomic in one script, shared
 * by every worker process.
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
local started = redis.call('INCR', KEYS[2])
if started == 1 then redis.call('PEXPIRE', KEYS[2], 1000) end
if started > tonumber(ARGV[4]) then return -1 end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

@Injectable()
export class EndpointThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** `true` when the caller may send now (and must `release`); `false`: try again shortly. */
  async acquire(endpointId: string, holder: string): Promise<boolean> {
    const { endpointConcurrency, endpointRatePerSecond, timeoutMs } = this.config.webhooks;
    const granted = (await this.redis.eval(
      ACQUIRE,
      2,
      `webhooks:inflight:${endpointId}`,
      `webhooks:rate:${endpointId}:${Math.floor(Date.now() / 1000)}`,
      Date.now(),
      timeoutMs + 5_000,
      endpointConcurrency,
      endpointRatePerSecond,
      holder,
    )) as number;
    return granted === 1;
  }

  async release(endpointId: string, holder: string): Promise<void> {
    await this.redis.zrem(`webhooks:inflight:${endpointId}`, holder);
  }
}
