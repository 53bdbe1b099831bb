import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditLogRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { RetentionPurges } from '../../../maintenance/retention-purges';

const DAY_MS = 24 * 60 * 60_000;

/** Audit entries are kept AUDIT_LOG_RETENTION_DAYS (seven years by default), then the maintenance job deletes them. */
@Injectable()
export class AuditLogRetention implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly entries: AuditLogRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.purges.register('auditLog', (now, batchSize) =>
      this.entries.purgeOlderThan(new Date(now.getTime() - this.config.identity.auditLogRetentionDays * DAY_MS), batchSize),
    );
  }
}
