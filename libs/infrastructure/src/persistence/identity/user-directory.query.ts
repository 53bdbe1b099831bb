import { Brackets, DataSource } from 'typeorm';
import { UserEntity } from './user.entity';

export interface UserListQuery {
  search?: string;
  role?: string;
  status?: string;
  /** Only members of teams this user manages (a manager's scope). */
  managedBy?: string;
  page: number;
  perPage: number;
}

/** Read side for the admin user list: filters and pages without loading aggregates. */
export class UserDirectoryQuery {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: UserListQuery): Promise<{ items: UserEntity[]; total: number }> {
    const builder = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
      builder.andWhere(
        new Brackets((where) => where.where('u.email_normalized LIKE :pattern').orWhere('lower(u.name) LIKE :pattern')),
        { pattern },
      );
    }
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
    const [items, total] = await builder
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip((query.page - 1) * query.perPage)
      .take(query.perPage)
      .getManyAndCount();
    return { items, total };
  }
}
