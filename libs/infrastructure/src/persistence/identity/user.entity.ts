import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An account. The e-mail address and name are stored sealed (see UserPersonalDataCodec), never in
 * clear; email_lookup (keyed hash of the normalised address) is what lookups and uniqueness use.
 */
@Entity({ name: 'identity_user' })
export class UserEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'email_sealed', type: 'bytea' }) emailSealed!: Buffer;
  @Column({ name: 'email_lookup', type: 'bytea' }) emailLookup!: Buffer;
  @Column({ name: 'name_sealed', type: 'bytea' }) nameSealed!: Buffer;
  @Column({ name: 'personal_data_key_id', type: 'text' }) personalDataKeyId!: string;
  @Column({ name: 'password_hash', type: 'text', nullable: true }) passwordHash!: string | null;
  @Column({ type: 'text' }) role!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true }) emailVerifiedAt!: Date | null;
  @Column({ name: 'google_id', type: 'text', nullable: true }) googleId!: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'deletion_requested_at', type: 'timestamptz', nullable: true }) deletionRequestedAt!: Date | null;
}
