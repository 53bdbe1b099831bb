import { DomainError } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull, Not } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

export interface RotationResult {
  userId: string;
  familyId: string;
  newTokenHash: string;
}

const invalid = () => new DomainError('UNAUTHENTICATED', 'Refresh token is invalid or expired');

/** Refresh tokens by hash. Rotation is one transaction holding the row lock, so a token rotates once. */
export class RefreshTokenStore {
  constructor(private readonly dataSource: DataSource) {}

  async insert(input: { userId: string; familyId: string; tokenHash: string; now: Date; ttlSeconds: number }): Promise<void> {
    await this.dataSource.getRepository(RefreshTokenEntity).insert({
      id: randomUUID(),
      userId: input.userId,
      familyId: input.familyId,
      tokenHash: input.tokenHash,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000),
      rotatedAt: null,
      revokedAt: null,
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

  async revokeFamily(familyId: string, userId: string, now: Date): Promise<void> {
    await this.dataSource.getRepository(RefreshTokenEntity).update({ familyId, userId, revokedAt: IsNull() }, { revokedAt: now });
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
