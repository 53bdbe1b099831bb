import { Injectable } from '@nestjs/common';
import { UserEntity } from '@sah/infrastructure';
import { DataSource } from 'typeorm';

/**
 * Finds the account linked to a Google id (identity_user.google_id, unique). A read beside the
 * UserRepository port, which has no such lookup yet; the aggregate is then loaded through the port.
 */
@Injectable()
export class GoogleAccountQuery {
  constructor(private readonly dataSource: DataSource) {}

  async userIdFor(googleId: string): Promise<string | null> {
    const row = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ select: { id: true }, where: { googleId } });
    return row?.id ?? null;
  }
}
