import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'identity_user' })
export class UserEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ name: 'email_normalized', type: 'text' }) emailNormalized!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'password_hash', type: 'text', nullable: true }) passwordHash!: string | null;
  @Column({ type: 'text' }) role!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true }) emailVerifiedAt!: Date | null;
  @Column({ name: 'google_id', type: 'text', nullable: true }) googleId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'deletion_requested_at', type: 'timestamptz', nullable: true }) deletionRequestedAt!: Date | null;
}
