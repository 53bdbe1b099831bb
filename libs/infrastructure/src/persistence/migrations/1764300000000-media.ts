import { MigrationInterface, QueryRunner } from 'typeorm';

/** id, kind, upstream model, price in credits, unit. */
const SEED: Array<[string, 'image' | 'video', string, number, 'image' | 'video' | 'minute']> = [
  ['gpt-image-1', 'image', 'gpt-image-1', 50, 'image'],
  ['sora-2', 'video', 'sora-2', 30, 'video'],
  ['sora-2-pro', 'video', 'sora-2-pro', 200, 'minute'],
];

/**
 * The media context: its model catalogue (prices admins change) and its jobs. A job's status moves
 * only by compare-and-set; `settled_at` marks that its hold was captured or released.
 */
export class Media1764300000000 implements MigrationInterface {
  name = 'Media1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE media_model (
        id             text        PRIMARY KEY CHECK (id ~ '^[a-zA-Z0-9._:/-]{1,100}$'),
        kind           text        NOT NULL CHECK (kind IN ('image', 'video')),
        provider       text        NOT NULL CHECK (length(provider) BETWEEN 1 AND 50),
        upstream_model text        NOT NULL CHECK (length(upstream_model) BETWEEN 1 AND 200),
        price          bigint      NOT NULL CHECK (price >= 0),
        unit           text        NOT NULL CHECK (unit IN ('image', 'video', 'minute')),
        enabled        boolean     NOT NULL DEFAULT true,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'image') = (unit = 'image'))
      )`);
    for (const [id, kind, upstream, price, unit] of SEED) {
      await queryRunner.query(`INSERT INTO media_model (id, kind, provider, upstream_model, price, unit) VALUES ($1, $2, 'openai', $3, $4, $5)`, [
        id,
        kind,
        upstream,
        price * 1000,
        unit,
      ]);
    }
    await queryRunner.query(`
      CREATE TABLE media_job (
        id              uuid        PRIMARY KEY,
        user_id         uuid        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('image', 'video')),
        model           text        NOT NULL,
        provider        text        NOT NULL,
        upstream_model  text        NOT NULL,
        prompt          text        NOT NULL CHECK (length(prompt) BETWEEN 1 AND 4000),
        size            text,
        n               integer     NOT NULL DEFAULT 1 CHECK (n BETWEEN 1 AND 10),
        seconds         integer     CHECK (seconds > 0),
        status          text        NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'moderating', 'submitted', 'running', 'succeeded', 'failed', 'cancelled', 'expired')),
        price           bigint      NOT NULL CHECK (price >= 0),
        hold_id         uuid        NOT NULL UNIQUE,
        provider_job_id text,
        attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        moderation      jsonb,
        error           jsonb,
        results         jsonb       NOT NULL DEFAULT '[]',
        settled_at      timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        deadline_at     timestamptz NOT NULL,
        finished_at     timestamptz,
        CHECK ((status IN ('succeeded', 'failed', 'cancelled', 'expired')) = (finished_at IS NOT NULL)),
        CHECK (settled_at IS NULL OR finished_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX media_job_user_created_idx ON media_job (user_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX media_job_created_idx ON media_job (created_at DESC)`);
    // Finished jobs whose hold is not settled yet (a crash between the two writes): the sweep finds them.
    await queryRunner.query(`CREATE INDEX media_job_unsettled_idx ON media_job (finished_at) WHERE settled_at IS NULL AND finished_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE media_job`);
    await queryRunner.query(`DROP TABLE media_model`);
  }
}
