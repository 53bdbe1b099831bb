import { MigrationInterface, QueryRunner } from 'typeorm';

/** [id, provider, upstream model, aliases, context window, max output, credits per 1,000 in/out] */
type Seed = [string, string, string, string[], number, number, number, number];

// The product's price rules (GPT-4 class 10 credits per 1,000 tokens, GPT-3.5 class 1, Claude 8),
// applied to today's model names. Admins edit the catalogue from here on.
const SEED: Seed[] = [
  ['gpt-5.4', 'openai', 'gpt-5.4', [], 400_000, 128_000, 10, 10],
  ['gpt-4.1', 'openai', 'gpt-4.1', [], 1_047_576, 32_768, 10, 10],
  ['gpt-4o', 'openai', 'gpt-4o', ['gpt-4'], 128_000, 16_384, 10, 10],
  ['gpt-5.4-mini', 'openai', 'gpt-5.4-mini', [], 400_000, 128_000, 1, 1],
  ['gpt-4o-mini', 'openai', 'gpt-4o-mini', ['gpt-3.5-turbo'], 128_000, 16_384, 1, 1],
  ['claude-sonnet-4-6', 'anthropic', 'claude-sonnet-4-6', ['claude-sonnet', 'claude-sonnet-4-5'], 200_000, 64_000, 8, 8],
  ['claude-opus-4-7', 'anthropic', 'claude-opus-4-7', ['claude-opus'], 200_000, 32_000, 8, 8],
  ['claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5', ['claude-haiku', 'claude-3-5-haiku-latest'], 200_000, 64_000, 8, 8],
];

/**
 * AI orchestration: the model catalogue with prices, provider keys managed by admins (encrypted at
 * rest, never returned), and one usage record per call.
 */
export class Ai1764100000000 implements MigrationInterface {
  name = 'Ai1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ai_model (
        id                text        PRIMARY KEY CHECK (id ~ '^[a-zA-Z0-9._:-]{1,100}$'),
        provider          text        NOT NULL CHECK (provider IN ('openai', 'anthropic')),
        upstream_model    text        NOT NULL CHECK (length(upstream_model) BETWEEN 1 AND 200),
        aliases           text[]      NOT NULL DEFAULT '{}',
        context_window    integer     NOT NULL CHECK (context_window > 0),
        max_output_tokens integer     NOT NULL CHECK (max_output_tokens > 0),
        input_price       bigint      NOT NULL CHECK (input_price >= 0),
        output_price      bigint      NOT NULL CHECK (output_price >= 0),
        enabled           boolean     NOT NULL DEFAULT true,
        fallback_model_id text        REFERENCES ai_model (id) ON DELETE SET NULL CHECK (fallback_model_id <> id),
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [id, provider, upstream, aliases, context, maxOutput, input, output] of SEED) {
      await queryRunner.query(
        `INSERT INTO ai_model (id, provider, upstream_model, aliases, context_window, max_output_tokens, input_price, output_price)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, provider, upstream, aliases, context, maxOutput, input * 1000, output * 1000],
      );
    }

    await queryRunner.query(`
      CREATE TABLE ai_provider_key (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        provider    text        NOT NULL CHECK (provider IN ('openai', 'anthropic')),
        label       text        NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
        ciphertext  bytea       NOT NULL,
        iv          bytea       NOT NULL,
        auth_tag    bytea       NOT NULL,
        last4       text        NOT NULL,
        enabled     boolean     NOT NULL DEFAULT true,
        created_by  uuid        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE ai_usage (
        id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id        uuid        NOT NULL,
        api_key_id     uuid,
        endpoint       text        NOT NULL CHECK (endpoint IN ('openai', 'anthropic', 'graphql', 'websocket', 'mcp')),
        model          text        NOT NULL,
        provider       text        NOT NULL,
        upstream_model text        NOT NULL,
        stream         boolean     NOT NULL,
        input_tokens   integer     NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens  integer     NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        credits        bigint      NOT NULL DEFAULT 0 CHECK (credits >= 0),
        latency_ms     integer     NOT NULL CHECK (latency_ms >= 0),
        ttft_ms        integer     CHECK (ttft_ms >= 0),
        status         text        NOT NULL CHECK (status IN ('ok', 'error', 'aborted')),
        error_code     text,
        attempts       integer     NOT NULL DEFAULT 1,
        hold_id        uuid,
        transaction_id uuid,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_ai_usage_user ON ai_usage (user_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX idx_ai_usage_created ON ai_usage (created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ai_usage`);
    await queryRunner.query(`DROP TABLE ai_provider_key`);
    await queryRunner.query(`DROP TABLE ai_model`);
  }
}
