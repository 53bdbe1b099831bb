import type Redis from 'ioredis';

export interface TokenRateDecision {
  allowed: boolean;
  limit: number;
  /** Tokens counted in the window, this call's included when allowed. */
  used: number;
  /** Refused: milliseconds until enough of the window's tokens have aged out for this call (the window when it never fits). */
  retryAfterMs: number;
}

/**
 * Takes `tokens` for call ARGV[4] if the window's total stays within the limit. Entries are
 * "<call id>:<tokens>" scored by Redis's own clock (one clock for every API instance).
 * Returns {allowed, used, retryAfterMs}.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, limit, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], ':(%d+)$')) end
if used + tokens > limit then
  local retry = window
  if tokens <= limit then
    local freed = 0
    for i = 1, #entries, 2 do
      freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
      if used - freed + tokens <= limit then
        retry = tonumber(entries[i + 1]) + window - now
        break
      end
    end
  end
  return {0, used, retry}
end
redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. tokens)
redis.call('PEXPIRE', KEYS[1], window)
return {1, used + tokens, 0}
`;

/** Replaces call ARGV[1]'s count with ARGV[2], keeping its time; nothing if it has aged out. */
const CORRECT = `
local prefix = ARGV[1] .. ':'
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, 1, #prefix) == prefix then
    local score = redis.call('ZSCORE', KEYS[1], member)
    redis.call('ZREM', KEYS[1], member)
    if tonumber(ARGV[2]) > 0 then redis.call('ZADD', KEYS[1], score, prefix .. ARGV[2]) end
    return 1
  end
end
return 0
`;

/**
 * Tokens per key over a sliding window, shared by every API instance through Redis: each call's
 * estimate is taken (or refused) in one script, and corrected to what the call really used once it
 * is paid for. No span of the window ever holds more than the limit of counted tokens. Redis errors
 * reach the caller: the limit fails closed.
 */
export class TokenRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'ratelimit:tokens',
  ) {}

  async take(key: string, callId: string, tokens: number, limit: number, windowMs: number): Promise<TokenRateDecision> {
    const [allowed, used, retryAfterMs] = (await this.redis.eval(TAKE, 1, this.keyOf(key), windowMs, limit, tokens, callId)) as number[];
    return { allowed: allowed === 1, limit, used: used ?? 0, retryAfterMs: Math.max(1, retryAfterMs ?? windowMs) };
  }

  /** The call's real count (0 for a call that used nothing); what aged out of the window stays out. */
  async correct(key: string, callId: string, tokens: number): Promise<void> {
    await this.redis.eval(CORRECT, 1, this.keyOf(key), callId, Math.max(0, Math.round(tokens)));
  }

  private keyOf(key: string): string {
    return `${this.namespace}:${key}`;
  }
}
