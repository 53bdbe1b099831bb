import { DataSource, In, IsNull, MoreThan } from 'typeorm';
import { ApiKeyEntity, ApiKeyLimits } from './api-key.entity';

export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).insert(key);
  }

  /** A key that is neither revoked nor expired, by the hash of its secret. */
  async findUsable(keyHash: string, now: Date): Promise<ApiKeyEntity | null> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
    return key && key.expiresAt > now ? key : null;
  }

  /** The user's keys that are neither revoked, suspended nor expired. */
  listUsableForUser(userId: string, now: Date): Promise<ApiKeyEntity[]> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .find({ where: { userId, revokedAt: IsNull(), suspendedAt: IsNull(), expiresAt: MoreThan(now) } });
  }

  async suspend(ids: string[], now: Date): Promise<void> {
    if (ids.length > 0) await this.dataSource.getRepository(ApiKeyEntity).update({ id: In(ids), suspendedAt: IsNull() }, { suspendedAt: now });
  }

  /** A live (not revoked) key of this user. */
  findLiveForUser(id: string, userId: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id, userId, revokedAt: IsNull() });
  }

  listForUser(userId: string): Promise<ApiKeyEntity[]> {
    return this.dataSource.getRepository(ApiKeyEntity).find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** Revokes a key of this user; false when the user has no such live key. */
  async revoke(id: string, userId: string, now: Date): Promise<boolean> {
    const result = await this.dataSource.getRepository(ApiKeyEntity).update({ id, userId, revokedAt: IsNull() }, { revokedAt: now });
    return (result.affected ?? 0) > 0;
  }

  /** Sets a live key's own limits; false when the user has no such live key. */
  async setLimits(id: string, userId: string, limits: ApiKeyLimits): Promise<boolean> {
    const result = await this.dataSource.getRepository(ApiKeyEntity).update({ id, userId, revokedAt: IsNull() }, limits);
    return (result.affected ?? 0) > 0;
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: now });
  }
}
