import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

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

  async touch(id: string, now: Date): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: now });
  }
}
