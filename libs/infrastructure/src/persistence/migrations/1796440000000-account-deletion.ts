import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account deletion (GDPR erasure). A requested deletion is a timestamp on the user: the account stops
 * working at once and the maintenance job erases it once the grace period has passed.
 *
 * The audit log keeps its entries about an erased user under the same (now pseudonymous) id, without
 * their personal data: a transaction that declares the erasure (`SET LOCAL sah.audit_log_erase_user`)
 * may clear an entry's IP and drop keys from its details, and change nothing else, so erasure can
 * make an entry forget but never rewrite it. Retention's delete rule stays as it was.
 */
export class AccountDeletion1796440000000 implements MigrationInterface {
  name = 'AccountDeletion1796440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE identity_user ADD COLUMN deletion_requested_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX idx_identity_user_deletion_requested ON identity_user (deletion_requested_at) WHERE deletion_requested_at IS NOT NULL`,
    );
    // Erasure strips the address from the account's registration event, found by this.
    await queryRunner.query(
      `CREATE INDEX idx_outbox_event_registered_user ON outbox_event ((payload ->> 'userId')) WHERE type = 'identity.user_registered'`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION identity_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        erased text := nullif(current_setting('sah.audit_log_erase_user', true), '');
      BEGIN
        IF TG_OP = 'DELETE'
           AND OLD.occurred_at < nullif(current_setting('sah.audit_log_purge_before', true), '')::timestamptz THEN
          RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND erased IS NOT NULL
           AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.action, NEW.target_type, NEW.target_id, NEW.request_id)
               IS NOT DISTINCT FROM (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.action, OLD.target_type, OLD.target_id, OLD.request_id)
           AND (NEW.ip IS NULL OR NEW.ip IS NOT DISTINCT FROM OLD.ip)
           AND OLD.details @> NEW.details THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'identity_audit_log is append-only';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION identity_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND OLD.occurred_at < nullif(current_setting('sah.audit_log_purge_before', true), '')::timestamptz THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'identity_audit_log is append-only';
      END $$`);
    await queryRunner.query(`DROP INDEX idx_outbox_event_registered_user`);
    await queryRunner.query(`DROP INDEX idx_identity_user_deletion_requested`);
    await queryRunner.query(`ALTER TABLE identity_user DROP COLUMN deletion_requested_at`);
  }
}
