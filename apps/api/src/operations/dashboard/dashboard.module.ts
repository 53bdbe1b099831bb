import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AiModule } from '../../contexts/ai/ai.module';
import { AiFiguresModule } from '../../contexts/ai/analytics/ai-figures.module';
import { BillingFiguresModule } from '../../contexts/billing/billing-figures.module';
import { IdentityFiguresModule } from '../../contexts/identity/identity-figures.module';
import { DashboardResolver } from './dashboard.resolver';
import { OpsDashboard } from './ops-dashboard.service';
import { QueueHealthReader } from './queue-health';

/** The console dashboard's one query, over the contexts' read services and the process's queues. */
@Module({
  imports: [DiscoveryModule, IdentityFiguresModule, BillingFiguresModule, AiFiguresModule, AiModule],
  providers: [OpsDashboard, QueueHealthReader, DashboardResolver],
})
export class DashboardModule {}
