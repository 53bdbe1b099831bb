import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AI channels: where calls go (a protocol, a base URL, its keys, the models it serves, priority and
 * weight), and each model's routing policy. Each provider configured until now becomes one channel
 * whose base URL stays the configuration's (`base_url` NULL) and which keeps the keys admins added,
 * so deployments route exactly as before. Usage records name the channel that served.
 */
export class AiChannels1796560000000 implements MigrationInterface {
  name = 'AiChannels1796560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ai_channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        protocol text NOT NULL CHECK (protocol IN ('openai', 'anthropic', 'gemini')),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        base_url text CHECK (base_url IS NULL OR char_length(base_url) <= 2048),
        priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000000),
        weight integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10000),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One configured channel per protocol; names tell channels apart in usage records and the console.
    await queryRunner.query(`CREATE UNIQUE INDEX ai_channel_configured_key ON ai_channel (protocol) WHERE base_url IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX ai_channel_name_key ON ai_channel (lower(name))`);
    await queryRunner.query(`
      CREATE TABLE ai_channel_model (
        channel_id uuid NOT NULL REFERENCES ai_channel (id) ON DELETE CASCADE,
        model_id text NOT NULL REFERENCES ai_model (id) ON DELETE CASCADE ON UPDATE CASCADE,
        upstream_model text CHECK (upstream_model IS NULL OR char_length(upstream_model) BETWEEN 1 AND 200),
        input_price bigint CHECK (input_price >= 0),
        output_price bigint CHECK (output_price >= 0),
        PRIMARY KEY (channel_id, model_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_ai_channel_model_model ON ai_channel_model (model_id)`);
    await queryRunner.query(`
      INSERT INTO ai_channel (protocol, name, base_url)
      VALUES ('openai', 'OpenAI', NULL), ('anthropic', 'Anthropic', NULL), ('gemini', 'Gemini', NULL)`);
    await queryRunner.query(`ALTER TABLE ai_provider_key ADD COLUMN channel_id uuid REFERENCES ai_channel (id) ON DELETE CASCADE`);
    await queryRunner.query(
      `UPDATE ai_provider_key k SET channel_id = c.id FROM ai_channel c WHERE c.protocol = k.provider AND c.base_url IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE ai_provider_key ALTER COLUMN channel_id SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX idx_ai_provider_key_channel ON ai_provider_key (channel_id)`);
    await queryRunner.query(
      `ALTER TABLE ai_model ADD COLUMN routing_policy text NOT NULL DEFAULT 'priority' CHECK (routing_policy IN ('priority', 'cost', 'latency'))`,
    );
    // No foreign key: a usage record outlives the channel it names.
    await queryRunner.query(`ALTER TABLE ai_usage ADD COLUMN channel_id uuid, ADD COLUMN channel_name text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ai_usage DROP COLUMN channel_name, DROP COLUMN channel_id`);
    await queryRunner.query(`ALTER TABLE ai_model DROP COLUMN routing_policy`);
    // Keys of the channels added later have no provider of their own to go back to.
    await queryRunner.query(
      `DELETE FROM ai_provider_key k USING ai_channel c WHERE c.id = k.channel_id AND c.base_url IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE ai_provider_key DROP COLUMN channel_id`);
    await queryRunner.query(`DROP TABLE ai_channel_model`);
    await queryRunner.query(`DROP TABLE ai_channel`);
  }
}
