import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '../application/secrets';
import { openProfile, sealProfile, VerifiedProfile } from './verified-session-profile';

/** What a VERIFIED code stands for. The code itself is never stored: its SHA-256 names the record. */
export interface VerifiedSession {
  /** Not secret: lists and revokes the session without the code. */
  id: string;
  userId: string;
  externalSessionId: string;
  createdAt: Date;
  expiresAt: Date;
}

/** A session found by its code, with the profile only that code opens. */
export interface VerifiedSessionWithProfile extends VerifiedSession {
  profile: VerifiedProfile;
}

export type NewVerifiedSession = Pick<VerifiedSession, 'userId' | 'externalSessionId'> & { profile: VerifiedProfile };

const CODE_PREFIX = 'VERIFIED-';
// 24 random bytes: 192 bits, 32 base64url characters.
const CODE_BYTES = 24;
const CODE_PATTERN = /^VERIFIED-[A-Za-z0-9_-]{32}$/;
// An expired record is kept this much longer, so an expired code answers 401 rather than 404.
const EXPIRED_KEPT_MS = 7 * 24 * 60 * 60_000;

// HSETNX alone would recreate a record revoked a moment ago, without expiry: mark only one that exists.
const MARK_USED = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSETNX', KEYS[1], 'usedAt', ARGV[1]) end return 0`;

const recordKey = (codeHash: string) => `identity:verified-session:${codeHash}`;
// Per user: session id → code hash, to list and revoke sessions without their codes.
const userIndexKey = (userId: string) => `identity:verified-sessions-of:${userId}`;

/** VERIFIED-… codes for third-party tools, in Redis only: verifying one must stay well under 100 ms. */
@Injectable()
export class VerifiedSessionStore {
  constructor(private readonly redis: Redis) {}

  async create(
    input: NewVerifiedSession,
    ttlSeconds: number,
    now = new Date(),
  ): Promise<{ code: string; session: VerifiedSession }> {
    const code = `${CODE_PREFIX}${randomBytes(CODE_BYTES).toString('base64url')}`;
    const session: VerifiedSession = {
      userId: input.userId,
      externalSessionId: input.externalSessionId,
      id: randomUUID(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    };
    const codeHash = sha256(code);
    const keepUntil = session.expiresAt.getTime() + EXPIRED_KEPT_MS;
    const index = userIndexKey(session.userId);
    await this.redis
      .multi()
      .hset(recordKey(codeHash), {
        id: session.id,
        userId: session.userId,
        externalSessionId: session.externalSessionId,
        profile: sealProfile(input.profile, code, session.id),
        createdAt: session.createdAt.getTime(),
        expiresAt: session.expiresAt.getTime(),
      })
      .pexpireat(recordKey(codeHash), keepUntil)
      .hset(index, session.id, codeHash)
      // The index lives as long as its longest-lived record: NX gives a new index its expiry, GT extends it.
      .pexpireat(index, keepUntil, 'NX')
      .pexpireat(index, keepUntil, 'GT')
      .exec();
    return { code, session };
  }

  /** The session, expired or not; null when the code is unknown, revoked or long expired. */
  async findByCode(code: string): Promise<VerifiedSessionWithProfile | null> {
    if (!CODE_PATTERN.test(code)) return null;
    const record = await this.redis.hgetall(recordKey(sha256(code)));
    const session = toSession(record);
    if (!session) return null;
    // Records written before profiles were sealed hold them in clear; they are gone one TTL after the upgrade.
    const profile = record.profile ? openProfile(record.profile, code, session.id) : { email: record.email, name: record.name };
    return { ...session, profile };
  }

  /** True the first time a code is used: that use is audited, the many that follow only logged. */
  async markUsed(code: string, now = new Date()): Promise<boolean> {
    return (await this.redis.eval(MARK_USED, 1, recordKey(sha256(code)), now.getTime())) === 1;
  }

  /** The user's sessions that are still valid, newest first. */
  async listForUser(userId: string, now = new Date()): Promise<VerifiedSession[]> {
    const hashes = Object.values(await this.redis.hgetall(userIndexKey(userId)));
    if (hashes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const hash of hashes) pipeline.hgetall(recordKey(hash));
    const records = (await pipeline.exec()) ?? [];
    return records
      .map(([, record]) => toSession(record as Record<string, string>))
      .filter((session): session is VerifiedSession => session !== null && session.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** False when the user has no such session. */
  async revoke(userId: string, sessionId: string): Promise<boolean> {
    const index = userIndexKey(userId);
    const codeHash = await this.redis.hget(index, sessionId);
    if (!codeHash) return false;
    await this.redis.multi().del(recordKey(codeHash)).hdel(index, sessionId).exec();
    return true;
  }

  /** Revokes every session of the user; returns how many there were (expired ones included). */
  async revokeAllForUser(userId: string): Promise<number> {
    const index = userIndexKey(userId);
    const hashes = Object.values(await this.redis.hgetall(index));
    if (hashes.length === 0) return 0;
    await this.redis
      .multi()
      .del(...hashes.map(recordKey))
      .del(index)
      .exec();
    return hashes.length;
  }
}

function toSession(record: Record<string, string>): VerifiedSession | null {
  if (!record.id || !record.userId) return null;
  return {
    id: record.id,
    userId: record.userId,
    externalSessionId: record.externalSessionId,
    createdAt: new Date(Number(record.createdAt)),
    expiresAt: new Date(Number(record.expiresAt)),
  };
}
