import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { UsageHistoryQuery, UsageRetentionRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { repositoryProvider } from '../../../platform/database/database.module';
import { RetentionPurges } from '../../../maintenance/retention-purges';
import { AccountErasers } from '../../identity/account-deletion/account-erasers';
import { UsagePersonalData } from './usage-personal-data';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Usage records are deleted by the maintenance job once AI_USAGE_RETENTION_DAYS have passed, and
 * a user's at once when their account is erased.
 */
@Injectable()
class UsageRetention implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly erasers: AccountErasers,
    private readonly usage: UsageRetentionRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.purges.register('aiUsage', (now, batchSize) =>
      this.usage.purgeOlderThan(new Date(now.getTime() - this.config.ai.usageRetentionDays * DAY_MS), batchSize),
    );
    this.erasers.register('aiUsage', async (userId) => void (await this.usage.deleteForUser(userId)));
  }
}

/**
 * The AI context's retention and its section of a user's GDPR export, apart from the rest of the
 * context so the worker process (which serves no AI traffic) can run them without the gateway, its
 * providers and the MCP websocket.
 */
@Module({
  providers: [
    repositoryProvider(UsageRetentionRepository, (dataSource) => new UsageRetentionRepository(dataSource)),
    repositoryProvider(UsageHistoryQuery, (dataSource) => new UsageHistoryQuery(dataSource)),
    UsageRetention,
    UsagePersonalData,
  ],
})
export class UsageRetentionModule {}
