import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role, ROLES, User } from '@sah/domain';
import type { DirectoryUser } from '@sah/infrastructure';

export enum RoleEnum {
  SUPER_ADMIN = 'SUPER_ADMIN',
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  USER = 'USER',
  GUEST = 'GUEST',
}
registerEnumType(RoleEnum, { name: 'Role', description: `Highest first: ${ROLES.join(' > ')}` });

@ObjectType('User')
export class UserObject {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => [RoleEnum]) roles!: Role[];
  @Field() emailVerified!: boolean;
  @Field({ description: '"active" or "suspended"' }) status!: string;
  @Field() createdAt!: Date;
  /** Not a field: deletionScheduledFor is resolved from it (AccountDeletionResolver). */
  deletionRequestedAt!: Date | null;

  /** Chooses which fields leave: never the password hash. */
  static fromDomain(user: User): UserObject {
    const state = user.snapshot;
    return Object.assign(new UserObject(), {
      id: state.id,
      email: state.email.value,
      name: state.name,
      roles: [state.role],
      emailVerified: state.emailVerifiedAt !== null,
      status: state.status,
      createdAt: state.createdAt,
      deletionRequestedAt: state.deletionRequestedAt,
    });
  }

  static fromRow(row: DirectoryUser): UserObject {
    return Object.assign(new UserObject(), {
      id: row.id,
      email: row.email,
      name: row.name,
      roles: [row.role as Role],
      emailVerified: row.emailVerifiedAt !== null,
      status: row.status,
      createdAt: row.createdAt,
      deletionRequestedAt: row.deletionRequestedAt,
    });
  }
}

@ObjectType('TwoFactorChallenge', { description: 'The step between the password (or Google) and the tokens' })
export class TwoFactorChallengeObject {
  @Field({ description: 'Pass to completeTwoFactorSignIn (purpose SIGN_IN) or to enrolTwoFactor and confirmTwoFactor (ENROL)' })
  challengeToken!: string;
  @Field({ description: '"SIGN_IN": present a TOTP or recovery code. "ENROL": your role must set up two-factor authentication first' })
  purpose!: string;
  @Field(() => Int, { description: 'Seconds the challenge stays valid' }) expiresIn!: number;
}

/**
 * Tokens are null only when `twoFactor` is set: the sign-in needs its second step first. Accounts
 * without two-factor authentication always get tokens here, as before.
 */
@ObjectType('AuthPayload')
export class AuthPayloadObject {
  @Field(() => String, { nullable: true, description: 'Null while twoFactor is set' }) accessToken!: string | null;
  @Field(() => String, { nullable: true, description: 'Null while twoFactor is set' }) refreshToken!: string | null;
  @Field(() => Int, { nullable: true, description: 'Seconds until the access token expires' }) expiresIn!: number | null;
  @Field(() => UserObject) user!: UserObject;
  @Field(() => TwoFactorChallengeObject, { nullable: true, description: 'Set when a second factor is due before tokens are issued' })
  twoFactor!: TwoFactorChallengeObject | null;
}

@ObjectType('PageInfo')
export class PageInfoObject {
  @Field(() => Int) page!: number;
  @Field(() => Int) perPage!: number;
  @Field(() => Int) total!: number;
  @Field(() => Int) totalPages!: number;

  static of(page: number, perPage: number, total: number): PageInfoObject {
    return Object.assign(new PageInfoObject(), { page, perPage, total, totalPages: Math.ceil(total / perPage) });
  }
}

@ObjectType('UserPage')
export class UserPageObject {
  @Field(() => [UserObject]) items!: UserObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}
