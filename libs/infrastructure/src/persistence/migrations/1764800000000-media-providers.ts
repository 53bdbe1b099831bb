import { MigrationInterface, QueryRunner } from 'typeorm';

/** id, kind, fal endpoint, price in credits, unit. */
const FAL_MODELS: Array<[string, 'image' | 'video', string, number, 'image' | 'minute']> = [
  ['flux-schnell', 'image', 'fal-ai/flux/schnell', 50, 'image'],
  ['kling-video-2.1', 'video', 'fal-ai/kling-video/v2.1/standard/text-to-video', 200, 'minute'],
];

/**
 * Media providers: a model may name further providers (`fallbacks`, in order) tried before a job is
 * submitted when the ones before are failing; a job may carry a reference image, moderated with its
 * prompt; fal.ai serves two models of the catalogue.
 */
export class MediaProviders1764800000000 implements MigrationInterface {
  name = 'MediaProviders1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE media_model
        ADD COLUMN fallbacks jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(fallbacks) = 'array' AND jsonb_array_length(fallbacks) <= 5)`);
    await queryRunner.query(`
      ALTER TABLE media_job
        ADD COLUMN reference_image_url text
        CHECK (length(reference_image_url) BETWEEN 1 AND 4000000)`);
    for (const [id, kind, upstream, price, unit] of FAL_MODELS) {
      await queryRunner.query(
        `INSERT INTO media_model (id, kind, provider, upstream_model, price, unit) VALUES ($1, $2, 'fal', $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [id, kind, upstream, price * 1000, unit],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM media_model WHERE id = ANY($1::text[])`, [FAL_MODELS.map(([id]) => id)]);
    await queryRunner.query(`ALTER TABLE media_job DROP COLUMN reference_image_url`);
    await queryRunner.query(`ALTER TABLE media_model DROP COLUMN fallbacks`);
  }
}
