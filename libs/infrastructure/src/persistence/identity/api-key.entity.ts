import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'identity_api_key' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) prefix!: string;
  @Column({ name: 'key_hash', type: 'text' }) keyHash!: string;
  @Column({ type: 'text', array: true }) scopes!: string[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  /** Set when the owner's role no longer allows the key's scopes: refused until rotated or revoked. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true }) suspendedAt!: Date | null;
  /** The key's own limit, set by its owner; null: only its owner's role limit applies. */
  @Column({ name: 'requests_per_minute', type: 'integer', nullable: true }) requestsPerMinute!: number | null;
}
