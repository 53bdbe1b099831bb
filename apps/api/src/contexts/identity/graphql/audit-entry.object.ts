import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AuditLogEntity } from '@sah/infrastructure';
import GraphQLJSON from 'graphql-type-json';
import { PageInfoObject } from './user.object';

@ObjectType('AuditEntry')
export class AuditEntryObject {
  @Field(() => ID) id!: string;
  @Field() occurredAt!: Date;
  @Field(() => ID, { nullable: true }) actorId!: string | null;
  @Field() action!: string;
  @Field(() => String, { nullable: true }) targetType!: string | null;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => GraphQLJSON) details!: Record<string, unknown>;

  static fromRow(row: AuditLogEntity): AuditEntryObject {
    return Object.assign(new AuditEntryObject(), row);
  }
}

@ObjectType('AuditEntryPage')
export class AuditEntryPageObject {
  @Field(() => [AuditEntryObject]) items!: AuditEntryObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}
