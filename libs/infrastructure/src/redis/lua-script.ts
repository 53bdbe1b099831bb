import type Redis from 'ioredis';
import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, the name Redis caches it under. */
export interface LuaScript {
  lua: string;
  sha: string;
}

export const luaScript = (lua: string): LuaScript => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });

/** Runs a script by hash; the script itself is sent only when Redis does not have it yet (e.g. after a restart). */
export async function runLuaScript(redis: Redis, script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
