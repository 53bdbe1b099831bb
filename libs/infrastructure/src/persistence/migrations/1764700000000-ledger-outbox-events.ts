import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger announces what it posts, in the posting's own transaction (transactional outbox):
 * credits given (welcome, grant, promo, purchase, positive adjustment) as `credit.granted`, and
 * credits spent on a service (a partner's deduct, an AI call) as `service.completed`. A replayed
 * idempotent request posts no new row, hence no second event. Payloads hold ids and figures only.
 */
export class LedgerOutboxEvents1764700000000 implements MigrationInterface {
  name = 'LedgerOutboxEvents1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ledger_transaction_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type IN ('welcome', 'grant', 'promo', 'purchase', 'adjustment') AND NEW.amount > 0 THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('credit.granted',
                  jsonb_build_object('userId', NEW.user_id, 'transactionId', NEW.id, 'kind', NEW.type,
                                     'amount', round(NEW.amount::numeric / 1000, 3)),
                  NEW.created_at);
        ELSIF NEW.type IN ('debit', 'usage') THEN
          INSERT INTO outbox_event (type, payload, occurred_at)
          VALUES ('service.completed',
                  jsonb_build_object('userId', NEW.user_id, 'transactionId', NEW.id,
                                     'service', coalesce(NEW.metadata ->> 'service', NEW.metadata ->> 'model', NEW.type),
                                     'credits', round(-NEW.amount::numeric / 1000, 3)),
                  NEW.created_at);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_ledger_transaction_outbox AFTER INSERT ON ledger_transaction
        FOR EACH ROW EXECUTE FUNCTION ledger_transaction_outbox()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_ledger_transaction_outbox ON ledger_transaction`);
    await queryRunner.query(`DROP FUNCTION ledger_transaction_outbox()`);
  }
}
