import type { Role } from '@sah/domain';
import { DataSource } from 'typeorm';
import { UserPersonalDataCodec } from './user-personal-data';

export interface UserCounts {
  total: number;
  /** Created in the last 7 days. */
  newThisWeek: number;
  /** Signed in or renewed a session since 00:00 UTC today (each issues a refresh token). */
  activeToday: number;
}

export interface SignUp {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

/** Head counts of the user base for the operations dashboard (served by created_at indexes). */
export class UserFiguresQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: UserPersonalDataCodec,
  ) {}

  async counts(): Promise<UserCounts> {
    const [row] = (await this.dataSource.query(
      `SELECT (SELECT count(*) FROM identity_user)::int AS total,
              (SELECT count(*) FROM identity_user WHERE created_at >= now() - interval '7 days')::int AS new_this_week,
              (SELECT count(DISTINCT user_id) FROM identity_refresh_token
                WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::int AS active_today`,
    )) as [{ total: number; new_this_week: number; active_today: number }];
    return { total: row.total, newThisWeek: row.new_this_week, activeToday: row.active_today };
  }

  /** Newest first. */
  async recentSignUps(limit: number): Promise<SignUp[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, email_sealed, name_sealed, personal_data_key_id, role, created_at FROM identity_user ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit],
    )) as Array<{ id: string; email_sealed: Buffer; name_sealed: Buffer; personal_data_key_id: string; role: Role; created_at: Date }>;
    return rows.map((row) => ({
      id: row.id,
      ...this.personalData.open(row.id, { emailSealed: row.email_sealed, nameSealed: row.name_sealed, personalDataKeyId: row.personal_data_key_id }),
      role: row.role,
      createdAt: row.created_at,
    }));
  }
}
