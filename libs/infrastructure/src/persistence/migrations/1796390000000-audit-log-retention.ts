import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log stays append-only, with one exception: retention. A transaction that declares a
 * cutoff (`SET LOCAL sah.audit_log_purge_before`) may delete entries older than it, and only those;
 * every other update or delete is still refused, so a bug cannot thin the log by accident. It is no
 * guard against someone who can run SQL as the application (they could declare any cutoff).
 */
export class AuditLogRetention1796390000000 implements MigrationInterface {
  name = 'AuditLogRetention1796390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION identity_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND OLD.occurred_at < nullif(current_setting('sah.audit_log_purge_before', true), '')::timestamptz THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'identity_audit_log is append-only';
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION identity_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'identity_audit_log is append-only';
      END $$`);
  }
}
