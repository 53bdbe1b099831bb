import { Credits } from '@sah/domain';
import { Column, Entity, PrimaryColumn, ValueTransformer } from 'typeorm';

/** bigint milli-credits as exact Credits (null stays null). */
const credits: ValueTransformer = {
  to: (value: Credits | null | undefined) => (value ? value.millis.toString() : value),
  from: (value: string | null) => (value === null ? null : Credits.fromMillis(value)),
};

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
  /** Credits the key may spend per calendar month (UTC), held calls included; null: no budget. */
  @Column({ name: 'monthly_credit_budget', type: 'bigint', nullable: true, transformer: credits }) monthlyCreditBudget!: Credits | null;
  /** Tokens per minute the key may use, counted on each call's estimate and corrected when it is paid; null: no limit. */
  @Column({ name: 'tokens_per_minute', type: 'integer', nullable: true }) tokensPerMinute!: number | null;
  /** A key made in a team's name: its calls spend the team's wallet, within the team's limits; null: its owner's own credits. */
  @Column({ name: 'team_id', type: 'uuid', nullable: true }) teamId!: string | null;
}

/** The limits an API key's owner sets on it (null: none). */
export type ApiKeyLimits = Pick<ApiKeyEntity, 'requestsPerMinute' | 'monthlyCreditBudget' | 'tokensPerMinute'>;
