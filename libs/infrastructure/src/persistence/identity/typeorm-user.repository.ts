import { DomainError, EmailAddress, IdentityEvent, isRole, User, UserRepository, UserStatus } from '@sah/domain';
import { DataSource, EntityManager, In } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';
import { OutboxEventEntity } from '../platform/outbox-event.entity';
import { UserEntity } from './user.entity';
import { UserPersonalDataCodec } from './user-personal-data';

export class TypeOrmUserRepository extends UserRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly personalData: UserPersonalDataCodec,
  ) {
    super();
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    return row ? this.toDomain(row) : null;
  }

  /** By the keyed hash under every key: rows keys:rotate has not reached yet carry an older key's. */
  async findByEmail(normalizedEmail: string): Promise<User | null> {
    const row = await this.dataSource.getRepository(UserEntity).findOneBy({ emailLookup: In(this.personalData.lookups(normalizedEmail)) });
    return row ? this.toDomain(row) : null;
  }

  async findByGoogleId(googleId: string): Promise<User | null> {
    const row = await this.dataSource.getRepository(UserEntity).findOneBy({ googleId });
    return row ? this.toDomain(row) : null;
  }

  async recordEvents(events: IdentityEvent[]): Promise<void> {
    await insertEvents(this.dataSource.manager, events);
  }

  async save(user: User, events: IdentityEvent[]): Promise<void> {
    const state = user.snapshot;
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(UserEntity).upsert(
          {
            id: state.id,
            ...this.personalData.seal(state.id, { email: state.email.value, name: state.name }),
            passwordHash: state.passwordHash,
            role: state.role,
            status: state.status,
            emailVerifiedAt: state.emailVerifiedAt,
            googleId: state.googleId,
            createdAt: state.createdAt,
            updatedAt: new Date(),
            deletionRequestedAt: state.deletionRequestedAt,
          },
          ['id'],
        );
        await insertEvents(manager, events);
      });
    } catch (error) {
      const constraint = violatedConstraint(error);
      if (constraint === 'uq_identity_user_email') {
        throw new DomainError('CONFLICT', 'An account with this e-mail address already exists', { field: 'email' });
      }
      // Two first sign-ins with the same Google account at once: the loser is told, not given a 500.
      if (constraint === 'uq_identity_user_google_id') {
        throw new DomainError('CONFLICT', 'This Google account is already linked to an account', { field: 'googleId' });
      }
      throw error;
    }
  }

  private toDomain(row: UserEntity): User {
    if (!isRole(row.role)) throw new Error(`identity_user ${row.id} has unknown role ${row.role}`);
    const { email, name } = this.personalData.open(row.id, row);
    return User.restore({
      id: row.id,
      email: EmailAddress.parse(email),
      name,
      passwordHash: row.passwordHash,
      role: row.role,
      status: row.status as UserStatus,
      emailVerifiedAt: row.emailVerifiedAt,
      googleId: row.googleId,
      createdAt: row.createdAt,
      deletionRequestedAt: row.deletionRequestedAt,
    });
  }
}

async function insertEvents(manager: EntityManager, events: IdentityEvent[]): Promise<void> {
  if (events.length === 0) return;
  await manager.getRepository(OutboxEventEntity).insert(events.map(({ type, occurredAt, ...payload }) => ({ type, payload, occurredAt })));
}
