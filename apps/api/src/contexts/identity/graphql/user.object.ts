import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role, ROLES, User } from '@sah/domain';
import { UserEntity } from '@sah/infrastructure';

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
    });
  }

  static fromRow(row: UserEntity): UserObject {
    return Object.assign(new UserObject(), {
      id: row.id,
      email: row.email,
      name: row.name,
      roles: [row.role as Role],
      emailVerified: row.emailVerifiedAt !== null,
      status: row.status,
      createdAt: row.createdAt,
    });
  }
}

@ObjectType('AuthPayload')
export class AuthPayloadObject {
  @Field() accessToken!: string;
  @Field() refreshToken!: string;
  @Field(() => Int, { description: 'Seconds until the access token expires' }) expiresIn!: number;
  @Field(() => UserObject) user!: UserObject;
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
