import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { TeamEntity } from '@sah/infrastructure';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

@ObjectType('TeamMember')
export class TeamMemberObject {
  @Field(() => ID) userId!: string;
  @Field({ description: '"member" or "manager"' }) role!: string;
  @Field() addedAt!: Date;
}

@ObjectType('Team')
export class TeamObject {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() createdAt!: Date;

  static fromRow(row: TeamEntity): TeamObject {
    return Object.assign(new TeamObject(), { id: row.id, name: row.name, createdAt: row.createdAt });
  }
}

@InputType()
export class CreateTeamInput {
  @Field() @IsString() @MaxLength(100) name!: string;
}

@InputType()
export class AddTeamMemberInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => ID) @IsUUID() userId!: string;
  @Field({ nullable: true, description: '"member" (default) or "manager"' }) @IsOptional() @IsIn(['member', 'manager']) role?: 'member' | 'manager';
}
