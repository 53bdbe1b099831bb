import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainError, UserRepository } from '@sah/domain';
import { DATA_EXPORT_JOBS, DataExport, DataExportPayload, DataExportStore, PersonalDataQuery, QUEUES } from '@sah/infrastructure';
import { Queue } from 'bullmq';
import { AppConfig } from '../../../config/app-config';
import { RetentionPurges } from '../../../maintenance/retention-purges';
import { AuditLog } from '../application/audit-log.service';
import { PersonalData } from './personal-data';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * GDPR exports: the owner asks, a background job gathers every context's section into one JSON
 * document, the owner downloads it until DATA_EXPORT_RETENTION_DAYS have passed.
 */
@Injectable()
export class DataExports implements OnModuleInit {
  constructor(
    private readonly store: DataExportStore,
    private readonly sections: PersonalData,
    private readonly personal: PersonalDataQuery,
    private readonly users: UserRepository,
    private readonly purges: RetentionPurges,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.dataExport) private readonly queue: Queue<DataExportPayload>,
  ) {}

  onModuleInit(): void {
    this.sections.register('teams', (userId) => this.personal.teams(userId));
    this.sections.register('apiKeys', (userId) => this.personal.apiKeys(userId));
    this.sections.register('sessions', (userId) => this.personal.sessions(userId));
    this.sections.register('auditEntries', (userId) => this.personal.auditEntries(userId));
    this.purges.register('dataExports', (now, batchSize) =>
      this.store.purge(now, new Date(now.getTime() - this.config.identity.dataExportRetentionDays * DAY_MS), batchSize),
    );
  }

  /**
   * Starts an export, or answers the one already being built. A new one waits out the cool-down
   * after the last request: each build holds the user's whole file in memory.
   */
  async start(userId: string): Promise<DataExport> {
    const now = new Date();
    const latest = await this.store.latest(userId);
    // A failed build is ours, not the user's: it does not count.
    if (latest?.status === 'ready') {
      const waitMs = latest.requestedAt.getTime() + this.config.identity.dataExportCooldownMinutes * MINUTE_MS - now.getTime();
      if (waitMs > 0)
        throw new DomainError('RATE_LIMITED', 'You asked for an export a short while ago: wait before asking again', {
          retry_after_seconds: Math.ceil(waitMs / 1000),
        });
    }
    const { export: started, created } = await this.store.start(userId, now);
    // Recorded before the build can start, so the file holds its own request.
    if (created) await this.audit.record(userId, 'user.data_export_requested', { targetType: 'user', targetId: userId, details: { exportId: started.id } });
    // Enqueued again when it exists: the job id is the export's, so a lost enqueue is repaired, never doubled.
    await this.queue.add(DATA_EXPORT_JOBS.build, { exportId: started.id }, {
      jobId: started.id,
      attempts: 3,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 500 },
    });
    return started;
  }

  latest(userId: string): Promise<DataExport | null> {
    return this.store.latest(userId);
  }

  /** The newest export ready for download; NOT_FOUND when there is none (or it expired). */
  async document(userId: string): Promise<{ export: DataExport; json: string }> {
    const ready = await this.store.latestDocument(userId, new Date());
    if (ready) return ready;
    const latest = await this.store.latest(userId);
    if (latest?.status === 'pending') throw new DomainError('CONFLICT', 'Your export is still being prepared', { status: 'PENDING' });
    throw new DomainError('NOT_FOUND', 'No export is ready: start one with exportMyData');
  }

  /** The job: re-reads the export and builds it once; a second run finds it no longer pending. */
  async build(exportId: string): Promise<'built' | 'skipped'> {
    const pending = await this.store.find(exportId);
    if (pending?.status !== 'pending') return 'skipped';
    const user = await this.users.findById(pending.userId);
    if (!user) {
      await this.store.fail(exportId, new Date());
      return 'skipped';
    }
    const state = user.snapshot;
    const document = {
      format: 'smart-ai-hub-export/1',
      exportedAt: new Date().toISOString(),
      user: {
        id: state.id,
        email: state.email.value,
        name: state.name,
        role: state.role,
        status: state.status,
        emailVerifiedAt: state.emailVerifiedAt,
        signsInWithGoogle: state.googleId !== null,
        createdAt: state.createdAt,
      },
      ...(await this.sections.collect(state.id)),
    };
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.identity.dataExportRetentionDays * DAY_MS);
    if (await this.store.complete(exportId, document, now, expiresAt))
      await this.audit.record(state.id, 'user.data_export_ready', { targetType: 'user', targetId: state.id, details: { exportId } });
    return 'built';
  }

  async fail(exportId: string): Promise<void> {
    await this.store.fail(exportId, new Date());
  }
}
