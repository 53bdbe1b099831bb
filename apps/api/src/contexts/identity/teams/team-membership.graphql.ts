import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { TeamInvitation } from '@sah/infrastructure';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

@ObjectType('TeamInvitation')
export class TeamInvitationObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) teamId!: string;
  @Field() email!: string;
  @Field({ description: '"member" or "manager": the role the invitee gets' }) role!: string;
  @Field({ description: 'pending, accepted, revoked or expired' }) status!: string;
  @Field() createdAt!: Date;
  @Field({ description: 'The link stops working at this time' }) expiresAt!: Date;
  @Field({ description: 'Pending but past its expiry: revoke it or invite again' }) expired!: boolean;

  static from(invitation: TeamInvitation, now = new Date()): TeamInvitationObject {
    return Object.assign(new TeamInvitationObject(), {
      id: invitation.id,
      teamId: invitation.teamId,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
      expired: invitation.status === 'expired' || (invitation.status === 'pending' && invitation.expiresAt <= now),
    });
  }
}

@ObjectType('TeamSeats', { description: "The seats of a team a manager's Team plan covers" })
export class TeamSeatsObject {
  @Field(() => Int, { description: 'Seats of the plan: members and pending invitations together stay within them' }) limit!: number;
  @Field(() => Int, { description: 'Members plus pending, unexpired invitations' }) taken!: number;
}

@InputType()
export class InviteTeamMemberInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field() @IsString() @MaxLength(254) email!: string;
  @Field({ nullable: true, description: '"member" (default) or "manager"' }) @IsOptional() @IsIn(['member', 'manager']) role?: 'member' | 'manager';
}

@InputType()
export class RemoveTeamMemberInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => ID) @IsUUID() userId!: string;
}

@InputType()
export class SetTeamMemberRoleInput {
  @Field(() => ID) @IsUUID() teamId!: string;
  @Field(() => ID) @IsUUID() userId!: string;
  @Field({ description: '"member" or "manager"' }) @IsIn(['member', 'manager']) role!: 'member' | 'manager';
}
