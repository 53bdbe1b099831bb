import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The stored outcome of a request sent with an `Idempotency-Key`, so a replay gets the first answer.
 * Rows expire; the maintenance queue purges them.
 */
@Entity({ name: 'idempotency_record' })
@Index('idx_idempotency_record_expires_at', ['expiresAt'])
export class IdempotencyRecordEntity {
  /** What the key belongs to (e.g. `partner-deduct:<api key id>`): keys are unique per scope only. */
  @PrimaryColumn({ type: 'text' })
  scope!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** SHA-256 of the request parameters: the same key with other parameters is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'response', type: 'jsonb', nullable: true })
  response!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
