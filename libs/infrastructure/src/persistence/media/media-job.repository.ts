import { isTerminal, MEDIA_TRANSITIONS, MediaJob, MediaJobError, MediaJobStatus, MediaKind, MediaResultFile, MediaTransition } from '@sah/domain';
import { DataSource } from 'typeorm';
import { CommitMode, RELAXED_COMMIT } from '../commit-mode';
import { PreparedStatement } from '../prepared-statement';
import { MEDIA_JOB_COLUMNS, MediaJobRow, toMediaJob } from './media-job.rows';

export interface NewMediaJob {
  id: string;
  userId: string;
  kind: MediaKind;
  model: string;
  provider: string;
  upstreamModel: string;
  prompt: string;
  size: string | null;
  n: number;
  seconds: number | null;
  referenceImageUrl?: string | null;
  priceMillis: bigint;
  holdId: string;
  deadlineAt: Date;
}

/** Fields a transition may set along with the new status. */
export interface MediaJobPatch {
  providerJobId?: string;
  /** The provider (and its name for the model) the job was submitted to, when a fallback served it. */
  provider?: string;
  upstreamModel?: string;
  attempts?: number;
  moderation?: MediaJob['moderation'];
  error?: MediaJobError | null;
  results?: MediaResultFile[];
}

/** An event stored with a transition, in its transaction (the outbox relay publishes it). */
export interface MediaOutboxEvent {
  type: string;
  payload: Record<string, unknown>;
}

export interface MediaJobFilter {
  userId?: string;
  status?: MediaJobStatus;
  kind?: MediaKind;
  model?: string;
}

const TERMINAL_SQL = `('succeeded', 'failed', 'cancelled', 'expired')`;

/**
 * A job's moves along the way may commit relaxed (see CommitMode): a move lost in a database crash only
 * sends the job back a step, which its processor runs again (moderation, an image generation), and the
 * job's next durable write flushes it anyway. Nothing is settled or published to the outbox on a relaxed
 * write. Each fsync is a wait of every job: most of the time a job spent at the database (issue 9's
 * throughput bench) was WAL flushes. COMMIT_CTE turns synchronous_commit off when $12 says relaxed.
 */
const COMMIT_CTE = `commit_mode AS (SELECT set_config('synchronous_commit', CASE WHEN $12::boolean THEN 'off' ELSE current_setting('synchronous_commit') END, true))`;
const RELAXED_CTE = `commit_mode AS (${RELAXED_COMMIT})`;

// The statements of every job's way from created to settled, prepared once per connection.
const INSERT = new PreparedStatement<MediaJobRow>(
  'media_job_insert',
  `INSERT INTO media_job (id, user_id, kind, model, provider, upstream_model, prompt, size, n, seconds, price, hold_id, deadline_at, reference_image_url)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${MEDIA_JOB_COLUMNS}`,
);
const FIND = new PreparedStatement<MediaJobRow>('media_job_find', `SELECT ${MEDIA_JOB_COLUMNS} FROM media_job WHERE id = $1`);
const TRANSITION = new PreparedStatement<MediaJobRow>(
  'media_job_transition',
  `WITH ${COMMIT_CTE}, moved AS (
     UPDATE media_job
        SET status = $3,
            provider_job_id = COALESCE($4, provider_job_id),
            attempts = COALESCE($5, attempts),
            moderation = COALESCE($6::jsonb, moderation),
            error = CASE WHEN $7::boolean THEN $8::jsonb ELSE error END,
            results = COALESCE($9::jsonb, results),
            finished_at = CASE WHEN $3 IN ${TERMINAL_SQL} THEN now() ELSE NULL END,
            -- a late success after expiry settles anew (the release is followed by a charge)
            settled_at = CASE WHEN $3 IN ${TERMINAL_SQL} THEN NULL ELSE settled_at END,
            updated_at = now()
       FROM commit_mode
      WHERE id = $1 AND status = ANY($2::text[])
      RETURNING ${MEDIA_JOB_COLUMNS}
   ), event AS (
     INSERT INTO outbox_event (type, payload, occurred_at)
     SELECT $10::text, $11::jsonb, now() FROM moved WHERE $10::text IS NOT NULL
   )
   SELECT * FROM moved`,
);
const START_MODERATION = new PreparedStatement<MediaJobRow>(
  'media_job_start_moderation',
  `WITH ${RELAXED_CTE}
   UPDATE media_job SET status = 'moderating', updated_at = now() FROM commit_mode
    WHERE id = $1 AND status = 'queued' AND deadline_at > $2 RETURNING ${MEDIA_JOB_COLUMNS}`,
);
const NOTE = new PreparedStatement<MediaJobRow>(
  'media_job_note',
  `UPDATE media_job SET provider_job_id = COALESCE($3, provider_job_id), attempts = COALESCE($4, attempts),
          provider = COALESCE($5, provider), upstream_model = COALESCE($6, upstream_model), updated_at = now()
    WHERE id = $1 AND status = $2 RETURNING ${MEDIA_JOB_COLUMNS}`,
);
const MARK_SETTLED = new PreparedStatement<{ id: string }>(
  'media_job_mark_settled',
  `WITH ${RELAXED_CTE}
   UPDATE media_job SET settled_at = now() FROM commit_mode
    WHERE id = $1 AND status = $2 AND settled_at IS NULL RETURNING id`,
);

/** Media jobs. Status changes are compare-and-set: one conditional UPDATE, which wins at most once. */
export class MediaJobRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(job: NewMediaJob): Promise<MediaJob> {
    const [row] = await INSERT.run(this.dataSource, [
      job.id,
      job.userId,
      job.kind,
      job.model,
      job.provider,
      job.upstreamModel,
      job.prompt,
      job.size,
      job.n,
      job.seconds,
      job.priceMillis.toString(),
      job.holdId,
      job.deadlineAt,
      job.referenceImageUrl ?? null,
    ]);
    return toMediaJob(row as MediaJobRow);
  }

  async find(id: string): Promise<MediaJob | null> {
    const [row] = await FIND.run(this.dataSource, [id]);
    return row ? toMediaJob(row) : null;
  }

  /**
   * Moves the job along `transition` if, and only if, it is still in one of the states that edge
   * leaves from. Answers the updated job, or null when another writer got there first. The update
   * and its outbox event are one statement (one round trip, atomic): the event is inserted only
   * when the guarded update matched.
   */
  async transition(
    id: string,
    transition: MediaTransition,
    to: MediaJobStatus,
    patch: MediaJobPatch = {},
    event?: MediaOutboxEvent,
    commit: CommitMode = 'durable',
  ): Promise<MediaJob | null> {
    if (commit === 'relaxed' && (event || isTerminal(to))) throw new Error('Terminal transitions and outbox events commit durably');
    const [row] = await TRANSITION.run(
      this.dataSource,
      [
        id,
        [...MEDIA_TRANSITIONS[transition]],
        to,
        patch.providerJobId ?? null,
        patch.attempts ?? null,
        patch.moderation === undefined ? null : JSON.stringify(patch.moderation),
        patch.error !== undefined,
        patch.error === undefined || patch.error === null ? null : JSON.stringify(patch.error),
        patch.results === undefined ? null : JSON.stringify(patch.results),
        event?.type ?? null,
        event ? JSON.stringify(event.payload) : null,
        commit === 'relaxed',
      ],
    );
    return row ? toMediaJob(row) : null;
  }

  /**
   * A queued job's first step, queued → moderating, as one guarded write without reading the job
   * first (the usual case of every job: one round trip instead of two), committed relaxed (a lost move
   * only moderates again). Null when the job is no longer queued or its deadline has come: the caller
   * reads it and goes on from its state.
   */
  async startModeration(id: string, now: Date): Promise<MediaJob | null> {
    const [row] = await START_MODERATION.run(this.dataSource, [id, now]);
    return row ? toMediaJob(row) : null;
  }

  /** Records progress that changes no state (a new attempt count, the provider's id), guarded the same way. */
  async note(id: string, status: MediaJobStatus, patch: MediaJobPatch): Promise<MediaJob | null> {
    const [row] = await NOTE.run(this.dataSource, [id, status, patch.providerJobId ?? null, patch.attempts ?? null, patch.provider ?? null, patch.upstreamModel ?? null]);
    return row ? toMediaJob(row) : null;
  }

  /**
   * Marks the hold of a finished job settled; false when it already was (or the job moved on).
   * Committed relaxed: a mark lost in a database crash leaves the job to the sweep of unsettled jobs,
   * which settles it again, and the ledger answers a repeated capture or release as the first did.
   */
  async markSettled(id: string, status: MediaJobStatus): Promise<boolean> {
    return (await MARK_SETTLED.run(this.dataSource, [id, status])).length > 0;
  }

  /** Finished jobs whose settlement a crash interrupted, oldest first. */
  async unsettled(limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM media_job WHERE settled_at IS NULL AND finished_at IS NOT NULL ORDER BY finished_at LIMIT $1`,
      [limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Settled jobs in one of `statuses` that finished before `before`, oldest first, for the retention purge. */
  async settledBefore(before: Date, limit: number, statuses: readonly MediaJobStatus[]): Promise<MediaJob[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM media_job WHERE settled_at IS NOT NULL AND status = ANY($3::text[]) AND finished_at < $1 ORDER BY finished_at LIMIT $2`,
      [before, limit, statuses],
    )) as MediaJobRow[];
    return rows.map(toMediaJob);
  }

  /** A user's settled jobs, for erasing their account; the unsettled ones are counted apart. */
  async settledOfUser(userId: string, limit: number): Promise<MediaJob[]> {
    const rows = (await this.dataSource.query(`SELECT * FROM media_job WHERE user_id = $1 AND settled_at IS NOT NULL ORDER BY created_at LIMIT $2`, [
      userId,
      limit,
    ])) as MediaJobRow[];
    return rows.map(toMediaJob);
  }

  async countUnsettledOfUser(userId: string): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS count FROM media_job WHERE user_id = $1 AND settled_at IS NULL`, [userId])) as [
      { count: number },
    ];
    return row.count;
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = (await this.dataSource.query(`DELETE FROM media_job WHERE id = ANY($1::uuid[]) AND settled_at IS NOT NULL`, [ids])) as [unknown[], number];
    return result[1];
  }

  async page(filter: MediaJobFilter, offset: number, limit: number): Promise<{ items: MediaJob[]; total: number }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.userId) add('user_id = ?', filter.userId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.model) add('model = ?', filter.model);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [rows, count] = await Promise.all([
      this.dataSource.query(`SELECT * FROM media_job ${where} ORDER BY created_at DESC, id LIMIT ${limit} OFFSET ${offset}`, params) as Promise<MediaJobRow[]>,
      this.dataSource.query(`SELECT count(*)::int AS total FROM media_job ${where}`, params) as Promise<Array<{ total: number }>>,
    ]);
    return { items: rows.map(toMediaJob), total: count[0]?.total ?? 0 };
  }
}
