import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: partners' endpoints (secrets encrypted, the previous one kept during a rotation), one
 * message per outbox event (the body signed and sent, numbered per ordering key), one delivery per
 * message and endpoint, and a log row per attempt.
 */
export class Webhooks1764500000000 implements MigrationInterface {
  name = 'Webhooks1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoint (
        id                        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id                  uuid        REFERENCES identity_user (id) ON DELETE CASCADE,
        platform_wide             boolean     NOT NULL DEFAULT false,
        url                       text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
        description               text        NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        event_types               text[]      NOT NULL DEFAULT '{}',
        enabled                   boolean     NOT NULL DEFAULT true,
        disabled_reason           text,
        secret_ciphertext         bytea       NOT NULL,
        secret_iv                 bytea       NOT NULL,
        secret_auth_tag           bytea       NOT NULL,
        previous_secret_ciphertext bytea,
        previous_secret_iv        bytea,
        previous_secret_auth_tag  bytea,
        previous_secret_expires_at timestamptz,
        failing_since             timestamptz,
        created_by                uuid        NOT NULL,
        created_at                timestamptz NOT NULL DEFAULT now(),
        updated_at                timestamptz NOT NULL DEFAULT now(),
        -- A platform-wide endpoint receives every user's events; any other belongs to its owner.
        CHECK (platform_wide OR owner_id IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_webhook_endpoint_owner ON webhook_endpoint (owner_id) WHERE enabled`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_webhook_endpoint_platform ON webhook_endpoint (id) WHERE enabled AND platform_wide`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_sequence (
        ordering_key text   PRIMARY KEY,
        last_value   bigint NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE webhook_message (
        id              text        PRIMARY KEY,
        event_type      text        NOT NULL,
        source_event_id bigint      UNIQUE,
        user_id         uuid,
        ordering_key    text        NOT NULL,
        sequence        bigint      NOT NULL,
        body            text        NOT NULL CHECK (octet_length(body) < 20480),
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (ordering_key, sequence)
      )`);

    await queryRunner.query(`
      CREATE TABLE webhook_delivery (
        id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id      text        NOT NULL REFERENCES webhook_message (id) ON DELETE CASCADE,
        endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        event_type      text        NOT NULL,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        -- Attempts in the current round; a replay or recovery starts a new round (and a new job).
        round           int         NOT NULL DEFAULT 1,
        attempts        int         NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_status     int,
        last_error      text,
        delivered_at    timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (message_id, endpoint_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_webhook_delivery_pending ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_attempt (
        id               bigserial   PRIMARY KEY,
        delivery_id      uuid        NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        round            int         NOT NULL,
        attempt          int         NOT NULL,
        request_headers  jsonb       NOT NULL,
        request_body     text        NOT NULL,
        response_status  int,
        response_headers jsonb,
        response_body    text,
        duration_ms      int         NOT NULL,
        error            text,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_webhook_attempt_delivery ON webhook_attempt (delivery_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_attempt`);
    await queryRunner.query(`DROP TABLE webhook_delivery`);
    await queryRunner.query(`DROP TABLE webhook_message`);
    await queryRunner.query(`DROP TABLE webhook_sequence`);
    await queryRunner.query(`DROP TABLE webhook_endpoint`);
  }
}
