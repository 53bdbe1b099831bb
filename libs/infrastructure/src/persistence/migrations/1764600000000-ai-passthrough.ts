import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The providers' other APIs and prompt caching: a cache price per model (credits per 1,000 input
 * tokens read from the provider's prompt cache; NULL = the input price), the cached tokens of each
 * call in its usage record, and an embeddings model in the catalogue.
 */
export class AiPassthrough1764600000000 implements MigrationInterface {
  name = 'AiPassthrough1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ai_model ADD COLUMN cached_input_price bigint CHECK (cached_input_price >= 0)`);
    // The providers' own ratios: OpenAI bills cached input at half the input price, Anthropic cache reads at a tenth.
    await queryRunner.query(`UPDATE ai_model SET cached_input_price = input_price / 2 WHERE provider = 'openai'`);
    await queryRunner.query(`UPDATE ai_model SET cached_input_price = input_price / 10 WHERE provider = 'anthropic'`);
    await queryRunner.query(
      `INSERT INTO ai_model (id, provider, upstream_model, aliases, context_window, max_output_tokens, input_price, output_price)
       VALUES ('text-embedding-3-small', 'openai', 'text-embedding-3-small', '{}', 8191, 1, 20, 0)
       ON CONFLICT (id) DO NOTHING`,
    );
    await queryRunner.query(`ALTER TABLE ai_usage ADD COLUMN cached_input_tokens integer NOT NULL DEFAULT 0 CHECK (cached_input_tokens >= 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ai_usage DROP COLUMN cached_input_tokens`);
    await queryRunner.query(`DELETE FROM ai_model WHERE id = 'text-embedding-3-small'`);
    await queryRunner.query(`ALTER TABLE ai_model DROP COLUMN cached_input_price`);
  }
}
