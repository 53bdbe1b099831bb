import { DataSource, SelectQueryBuilder } from 'typeorm';
import { UserEntity } from './user.entity';
import { UserPersonalDataCodec } from './user-personal-data';

export interface UserListQuery {
  search?: string;
  role?: string;
  status?: string;
  /** Only members of teams this user manages (a manager's scope). */
  managedBy?: string;
  page: number;
  perPage: number;
}

/** A row of the admin user list, e-mail address and name opened. */
export interface DirectoryUser {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  deletionRequestedAt: Date | null;
}

/** Rows read and opened at a time while a search scans. */
const SCAN_BATCH = 500;
const LOOKS_LIKE_AN_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Read side for the admin user list: filters and pages without loading aggregates, newest first.
 *
 * Addresses and names are sealed, so SQL cannot match them. A search that is a whole e-mail address
 * finds its account by the keyed hash (indexed); anything else (part of a name or address) opens the
 * rows the other filters leave, SCAN_BATCH at a time, and keeps those containing it (any case): the
 * cost grows with the number of accounts, fine for an organisation's user base.
 */
export class UserDirectoryQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  async list(query: UserListQuery): Promise<{ items: DirectoryUser[]; total: number }> {
    const search = query.search?.trim();
    const skip = (query.page - 1) * query.perPage;
    if (!search || LOOKS_LIKE_AN_ADDRESS.test(search)) {
      const builder = this.filtered(query);
      if (search) builder.andWhere('u.email_lookup IN (:...lookups)', { lookups: this.personalData.lookups(search) });
      const [rows, total] = await builder.orderBy('u.created_at', 'DESC').addOrderBy('u.id', 'ASC').skip(skip).take(query.perPage).getManyAndCount();
      return { items: rows.map((row) => this.open(row)), total };
    }
    return this.scan(query, search.toLowerCase(), skip);
  }

  private async scan(query: UserListQuery, needle: string, skip: number): Promise<{ items: DirectoryUser[]; total: number }> {
    const items: DirectoryUser[] = [];
    let total = 0;
    for (let offset = 0; ; offset += SCAN_BATCH) {
      const rows = await this.filtered(query).orderBy('u.created_at', 'DESC').addOrderBy('u.id', 'ASC').skip(offset).take(SCAN_BATCH).getMany();
      for (const row of rows) {
        const user = this.open(row);
        if (!user.email.toLowerCase().includes(needle) && !user.name.toLowerCase().includes(needle)) continue;
        if (total >= skip && items.length < query.perPage) items.push(user);
        total++;
      }
      if (rows.length < SCAN_BATCH) return { items, total };
    }
  }

  private filtered(query: UserListQuery): SelectQueryBuilder<UserEntity> {
    const builder = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    if (query.role) builder.andWhere('u.role = :role', { role: query.role });
    if (query.status) builder.andWhere('u.status = :status', { status: query.status });
    if (query.managedBy) {
      builder.andWhere(
        `u.id IN (SELECT member.user_id FROM identity_team_member member
                   JOIN identity_team_member manager ON manager.team_id = member.team_id
                  WHERE manager.user_id = :managerId AND manager.role = 'manager')`,
        { managerId: query.managedBy },
      );
    }
    return builder;
  }

  private open(row: UserEntity): DirectoryUser {
    return {
      id: row.id,
      ...this.personalData.open(row.id, row),
      role: row.role,
      status: row.status,
      emailVerifiedAt: row.emailVerifiedAt,
      createdAt: row.createdAt,
      deletionRequestedAt: row.deletionRequestedAt,
    };
  }
}
