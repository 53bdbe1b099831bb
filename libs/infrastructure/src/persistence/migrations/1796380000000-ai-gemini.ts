import { MigrationInterface, QueryRunner } from 'typeorm';

/** [id, upstream model, aliases, context window, max output, credits per 1,000 in/out/cached] */
type Seed = [string, string, string[], number, number, number, number, number];

// Google's own tiers in the product's price rules (the Pro class priced as GPT-4, Flash as GPT-3.5);
// cached input at a quarter of the input price, Google's discount for cache hits. Admins edit them.
const SEED: Seed[] = [
  ['gemini-2.5-pro', 'gemini-2.5-pro', ['gemini-pro-latest'], 1_048_576, 65_536, 10, 10, 2.5],
  ['gemini-2.5-flash', 'gemini-2.5-flash', ['gemini-flash-latest'], 1_048_576, 65_536, 1, 1, 0.25],
];

/**
 * Google Gemini as a third provider: models and admin-managed keys may name it, and calls that came
 * in through the Gemini-format endpoint are recorded as such.
 */
export class AiGemini1796380000000 implements MigrationInterface {
  name = 'AiGemini1796380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.providers(queryRunner, ['openai', 'anthropic', 'gemini']);
    await queryRunner.query(`ALTER TABLE ai_usage DROP CONSTRAINT ai_usage_endpoint_check`);
    await queryRunner.query(
      `ALTER TABLE ai_usage ADD CONSTRAINT ai_usage_endpoint_check CHECK (endpoint IN ('openai', 'anthropic', 'gemini', 'graphql', 'websocket', 'mcp'))`,
    );
    for (const [id, upstream, aliases, context, maxOutput, input, output, cached] of SEED) {
      await queryRunner.query(
        `INSERT INTO ai_model (id, provider, upstream_model, aliases, context_window, max_output_tokens, input_price, output_price, cached_input_price)
         VALUES ($1, 'gemini', $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING`,
        [id, upstream, aliases, context, maxOutput, input * 1000, output * 1000, cached * 1000],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ai_usage WHERE endpoint = 'gemini'`);
    await queryRunner.query(`ALTER TABLE ai_usage DROP CONSTRAINT ai_usage_endpoint_check`);
    await queryRunner.query(
      `ALTER TABLE ai_usage ADD CONSTRAINT ai_usage_endpoint_check CHECK (endpoint IN ('openai', 'anthropic', 'graphql', 'websocket', 'mcp'))`,
    );
    await queryRunner.query(`DELETE FROM ai_provider_key WHERE provider = 'gemini'`);
    await queryRunner.query(`DELETE FROM ai_model WHERE provider = 'gemini'`);
    await this.providers(queryRunner, ['openai', 'anthropic']);
  }

  private async providers(queryRunner: QueryRunner, names: string[]): Promise<void> {
    const list = names.map((name) => `'${name}'`).join(', ');
    for (const table of ['ai_model', 'ai_provider_key']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_provider_check`);
      await queryRunner.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_provider_check CHECK (provider IN (${list}))`);
    }
  }
}
