import type Redis from 'ioredis';
import { luaScript, runLuaScript } from './lua-script';

export interface PeriodCount {
  allowed: boolean;
  /** Counted in the period, this one included when allowed. */
  used: number;
}

/** Counts one more if the count stays within ARGV[1]; the key lives until ARGV[2] (ms since the epoch). */
const TAKE = luaScript(`
local used = tonumber(redis.call('GET', KEYS[1])) or 0
if used >= tonumber(ARGV[1]) then return {0, used} end
used = redis.call('INCR', KEYS[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return {1, used}
`);

/** Takes one back, never below zero and never reviving a count that has expired. */
const GIVE_BACK = luaScript(`
local used = tonumber(redis.call('GET', KEYS[1]))
if used and used > 0 then redis.call('DECR', KEYS[1]) end
return 0
`);

/**
 * Counts per key over fixed periods (a plan's month), shared by every API instance through Redis:
 * a count within the cap is taken in one script, so concurrent callers can never pass it. The key
 * names its period, and expires some time after it ends. Redis errors reach the caller: a cap fails closed.
 */
export class PeriodCounter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  async take(key: string, cap: number, expiresAt: Date): Promise<PeriodCount> {
    const [allowed, used] = (await runLuaScript(this.redis, TAKE, [this.name(key)], [cap, expiresAt.getTime()])) as number[];
    return { allowed: allowed === 1, used: used ?? 0 };
  }

  async giveBack(key: string): Promise<void> {
    await runLuaScript(this.redis, GIVE_BACK, [this.name(key)], []);
  }

  async count(key: string): Promise<number> {
    return Number((await this.redis.get(this.name(key))) ?? 0);
  }

  private name(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
