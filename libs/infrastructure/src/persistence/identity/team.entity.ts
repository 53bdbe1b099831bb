import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'identity_team' })
export class TeamEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity({ name: 'identity_team_member' })
export class TeamMemberEntity {
  @PrimaryColumn({ name: 'team_id', type: 'uuid' }) teamId!: string;
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) role!: string;
  @Column({ name: 'added_at', type: 'timestamptz' }) addedAt!: Date;
}
