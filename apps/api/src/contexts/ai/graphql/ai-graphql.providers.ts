import type { Provider } from '@nestjs/common';
import { UsageAnalyticsQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { UsageAnalytics } from '../analytics/usage-analytics.service';
import { UsageScope } from '../analytics/usage-scope';
import { AiModelAdmin } from '../application/ai-model-admin.service';
import { ChannelAdmin } from '../application/channel-admin.service';
import { ProviderKeyAdmin } from '../application/provider-key-admin.service';
import { AiModelsResolver } from './ai-models.resolver';
import { ChannelsResolver } from './channels.resolver';
import { ChatCompletionResolver } from './chat-completion.resolver';
import { ProviderKeysResolver } from './provider-keys.resolver';
import { UsageSummaryResolver } from './usage-summary.resolver';

/** The AI context's GraphQL surface (catalogue, provider keys and health, chat, usage analytics) and what it needs. */
export const AI_GRAPHQL_PROVIDERS: Provider[] = [
  { provide: UsageAnalyticsQuery, inject: [DataSource], useFactory: (dataSource: DataSource) => new UsageAnalyticsQuery(dataSource) },
  AiModelAdmin,
  ProviderKeyAdmin,
  ChannelAdmin,
  UsageScope,
  UsageAnalytics,
  AiModelsResolver,
  ProviderKeysResolver,
  ChannelsResolver,
  ChatCompletionResolver,
  UsageSummaryResolver,
];
