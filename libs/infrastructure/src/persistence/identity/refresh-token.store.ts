import { DomainError } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, Not } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

/** A sign-in session (refresh-token family) that can still renew its tokens. */
export interface LiveSignInSession {
  id: string;
  startedAt: Date;
  /** The last sign-in or renewal: the console renews its tokens every few minutes while open. */
  lastUsedAt: Date;
  expiresAt: Date;
  device: string | null;
}

export interface RotationResult {
  userId: string;
  familyId: string;
  newTokenHash: string;
}

const invalid = () => new DomainError('UNAUTHENTICATED', 'Refresh token is invalid or expired');

/** Refresh tokens by hash. Rotation is one transaction holding the row lock, so a token rotates once. */
export class RefreshTokenStore {
  constructor(private readonly dataSource: DataSource) {}

  async insert(input: {
    userId: string;
    familyId: string;
    tokenHash: string;
    now: Date;
    ttlSeconds: number;
    device: string | null;
  }): Promise<void> {
    await this.dataSource.getRepository(RefreshTokenEntity).insert({
      id: randomUUID(),
      userId: input.userId,
      familyId: input.familyId,
      tokenHash: input.tokenHash,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
      device: input.device,
    });
  }

  /**
   * Replaces a live token with `newTokenHash` in the same family. Presenting a token that was already
   * rotated or revoked means it leaked: the whole family is revoked and the call fails.
   */
  async rotate(tokenHash: string, newTokenHash: string, now: Date, ttlSeconds: number): Promise<RotationResult> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const tokens = manager.getRepository(RefreshTokenEntity);
      const current = await tokens.findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
      if (!current) return { error: invalid() };
      if (current.rotatedAt || current.revokedAt) {
        await tokens.update({ familyId: current.familyId, revokedAt: IsNull() }, { revokedAt: now });
        return { error: new DomainError('UNAUTHENTICATED', 'Refresh token was already used; every session of this sign-in is now closed') };
      }
      if (current.expiresAt <= now) return { error: invalid() };
      await tokens.update({ id: current.id }, { rotatedAt: now });
      await tokens.insert({
        id: randomUUID(),
        userId: current.userId,
        familyId: current.familyId,
        tokenHash: newTokenHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
        rotatedAt: null,
        revokedAt: null,
        device: current.device,
      });
      return { result: { userId: current.userId, familyId: current.familyId, newTokenHash } };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  }

  /** Revokes the family of one token, if it belongs to the user; returns the family's id. */
  async revokeFamilyOf(tokenHash: string, userId: string, now: Date): Promise<string | null> {
    const token = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash, userId });
    if (!token) return null;
    await this.revokeFamily(token.familyId, userId, now);
    return token.familyId;
  }

  /** Revokes the user's family; false when the user has no such family left to revoke. */
  async revokeFamily(familyId: string, userId: string, now: Date): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .update({ familyId, userId, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /**
   * The user's sessions whose latest token can still rotate: not rotated, not revoked, not expired.
   * Revoking a family marks all its tokens, so one live token means a live session. Newest use first.
   */
  async liveSessions(userId: string, now: Date): Promise<LiveSignInSession[]> {
    const rows = await this.dataSource.query(
      `SELECT family_id AS id, min(created_at) AS "startedAt", max(created_at) AS "lastUsedAt",
              max(expires_at) AS "expiresAt", min(device) AS device
         FROM identity_refresh_token
        WHERE user_id = $1
        GROUP BY family_id
       HAVING bool_or(rotated_at IS NULL AND revoked_at IS NULL AND expires_at > $2)
        ORDER BY max(created_at) DESC, family_id`,
      [userId, now],
    );
    return rows as LiveSignInSession[];
  }

  /** Revokes every family of the user but `exceptFamilyId`. */
  async revokeAllForUser(userId: string, now: Date, exceptFamilyId?: string): Promise<void> {
    const family = exceptFamilyId ? { familyId: Not(exceptFamilyId) } : {};
    await this.dataSource.getRepository(RefreshTokenEntity).update({ userId, revokedAt: IsNull(), ...family }, { revokedAt: now });
  }

  /** The user's families that issued a token since `since`: only those can have live access tokens. */
  async familiesActiveSince(userId: string, since: Date): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder('token')
      .select('DISTINCT token.family_id', 'familyId')
      .where('token.user_id = :userId AND token.created_at >= :since', { userId, since })
      .getRawMany<{ familyId: string }>();
    return rows.map((row) => row.familyId);
  }
}
