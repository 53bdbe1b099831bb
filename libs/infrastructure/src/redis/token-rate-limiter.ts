import type Redis from 'ioredis';
import { LuaScript, luaScript, runLuaScript } from './lua-script';

export interface TokenRateDecision {
  allowed: boolean;
  limit: number;
  /** Tokens counted in the window, this call's included when allowed. */
  used: number;
  /** Refused: milliseconds until enough of the window's tokens have aged out for this call (the window when it never fits). */
  retryAfterMs: number;
}

/**
 * KEYS[1]: the window's calls (sorted set, call id scored by Redis's own clock: one clock for every
 * API instance); KEYS[2]: each call's tokens (hash, call id → count) and their running `total`.
 * Both keys are written together and expire together. Each call is read once when it ages out, so a
 * take costs O(log n) however many calls the window holds (summing the window on every call cost
 * milliseconds at a few thousand calls a minute).
 */
const STATE = `local calls, counts = KEYS[1], KEYS[2]`;

/** Takes ARGV[3] tokens for call ARGV[4] if the window's total stays within ARGV[2]. Returns {allowed, used, retryAfterMs}. */
const TAKE = `${STATE}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('EXISTS', calls) == 0 then redis.call('DEL', counts) end
local aged = redis.call('ZRANGEBYSCORE', calls, '-inf', now - window)
for i = 1, #aged, 500 do
  local batch = {unpack(aged, i, math.min(i + 499, #aged))}
  local freed = 0
  for _, count in ipairs(redis.call('HMGET', counts, unpack(batch))) do freed = freed + (tonumber(count) or 0) end
  redis.call('HDEL', counts, unpack(batch))
  redis.call('HINCRBY', counts, 'total', -freed)
end
redis.call('ZREMRANGEBYSCORE', calls, '-inf', now - window)
local used = tonumber(redis.call('HGET', counts, 'total')) or 0
if used + tokens > limit then
  if tokens > limit then return {0, used, window} end
  -- Refused: the oldest calls are walked until enough would have aged out.
  local freed, from = 0, 0
  while true do
    local entries = redis.call('ZRANGE', calls, from, from + 99, 'WITHSCORES')
    if #entries == 0 then return {0, used, window} end
    for i = 1, #entries, 2 do
      freed = freed + (tonumber(redis.call('HGET', counts, entries[i])) or 0)
      if used - freed + tokens <= limit then return {0, used, tonumber(entries[i + 1]) + window - now} end
    end
    from = from + 100
  end
end
redis.call('ZADD', calls, now, ARGV[4])
redis.call('HSET', counts, ARGV[4], tokens)
redis.call('HINCRBY', counts, 'total', tokens)
redis.call('PEXPIRE', calls, window)
redis.call('PEXPIRE', counts, window)
return {1, used + tokens, 0}
`;

/** Replaces call ARGV[1]'s count with ARGV[2], keeping its time; nothing if it has aged out. */
const CORRECT = `${STATE}
local before = tonumber(redis.call('HGET', counts, ARGV[1]))
if not before then return 0 end
local after = tonumber(ARGV[2])
redis.call('HINCRBY', counts, 'total', after - before)
if after > 0 then
  redis.call('HSET', counts, ARGV[1], after)
else
  redis.call('HDEL', counts, ARGV[1])
  redis.call('ZREM', calls, ARGV[1])
end
return 1
`;

const SCRIPTS = { take: luaScript(TAKE), correct: luaScript(CORRECT) };

/**
 * Tokens per key over a sliding window, shared by every API instance through Redis: each call's
 * estimate is taken (or refused) in one script, and corrected to what the call really used once it
 * is paid for. No span of the window ever holds more than the limit of counted tokens. Call ids must
 * be unique. Redis errors reach the caller: the limit fails closed.
 */
export class TokenRateLimiter {
  // Not the `ratelimit:tokens` sorted sets of the earlier script ("<call>:<tokens>" members): during a
  // rolling deploy the two versions must not read each other's entries.
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'ratelimit:tpm',
  ) {}

  async take(key: string, callId: string, tokens: number, limit: number, windowMs: number): Promise<TokenRateDecision> {
    const [allowed, used, retryAfterMs] = (await this.run(SCRIPTS.take, key, [windowMs, limit, Math.ceil(tokens), callId])) as number[];
    return { allowed: allowed === 1, limit, used: used ?? 0, retryAfterMs: Math.max(1, retryAfterMs ?? windowMs) };
  }

  /** The call's real count (0 for a call that used nothing); what aged out of the window stays out. */
  async correct(key: string, callId: string, tokens: number): Promise<void> {
    await this.run(SCRIPTS.correct, key, [callId, Math.max(0, Math.round(tokens))]);
  }

  private run(script: LuaScript, key: string, args: Array<string | number>): Promise<unknown> {
    // One hash tag: both keys land on the same node of a Redis cluster.
    return runLuaScript(this.redis, script, [`${this.namespace}:{${key}}`, `${this.namespace}:{${key}}:tokens`], args);
  }
}
