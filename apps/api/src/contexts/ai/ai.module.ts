import { Module } from '@nestjs/common';
import { ChatProvider, PassthroughProvider } from '@sah/domain';
import {
  AiChannelRepository,
  AiModelRepository,
  AnthropicChatProvider,
  ChannelConnections,
  GeminiChatProvider,
  HttpPassthroughProvider,
  OpenAiChatProvider,
  ProviderDeadlines,
  ProviderKeyRepository,
  SecretBox,
  TokenRateLimiter,
  UsageRecordRepository,
} from '@sah/infrastructure';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { LedgerModule } from '../billing/ledger.module';
import { PlansModule } from '../billing/plans/plans.module';
import { UsageCsvController } from './analytics/usage-csv.controller';
import { UsageRetentionModule } from './analytics/usage-retention.module';
import { ApiKeyTokenLimit } from './application/api-key-token-limit';
import { ChannelDirectory } from './application/channel-directory';
import { ChatGateway } from './application/chat-gateway.service';
import { CrossFormatGateway } from './application/cross-format-gateway.service';
import { ModelCatalog } from './application/model-catalog';
import { PASSTHROUGH_PROVIDERS, PassthroughGateway } from './application/passthrough-gateway.service';
import { CHAT_PROVIDERS, ProviderCaller } from './application/provider-caller';
import { ProviderHealth } from './application/provider-health';
import { ProviderKeys } from './application/provider-keys';
import { SettlementsAfterReply } from './application/settlements-after-reply';
import { AI_GRAPHQL_PROVIDERS } from './graphql/ai-graphql.providers';
import { AnthropicCompatController } from './http/anthropic-compat.controller';
import { GeminiCompatController } from './http/gemini-compat.controller';
import { OpenAiCompatController } from './http/openai-compat.controller';
import { McpController } from './mcp/mcp.controller';
import { AiCallMetrics } from '../../platform/metrics/ai-call-metrics';
import { MeteredUsageRecordRepository } from '../../platform/metrics/metered-usage-record.repository';
import { MCP_WEBSOCKET_PROVIDERS } from './ws/mcp-websocket.providers';

/**
 * The AI orchestration context: the model catalogue, provider adapters and keys, the metered
 * gateway every entry point calls, and usage records.
 */
@Module({
  imports: [LedgerModule, PlansModule, UsageRetentionModule],
  controllers: [OpenAiCompatController, AnthropicCompatController, GeminiCompatController, McpController, UsageCsvController],
  providers: [
    { provide: TokenRateLimiter, inject: [Redis], useFactory: (redis: Redis) => new TokenRateLimiter(redis) },
    ApiKeyTokenLimit,
    SettlementsAfterReply,
    { provide: AiModelRepository, inject: [DataSource], useFactory: (ds: DataSource) => new AiModelRepository(ds) },
    { provide: AiChannelRepository, inject: [DataSource], useFactory: (ds: DataSource) => new AiChannelRepository(ds) },
    // Channels' own base URLs are reached only through connections that check each address (as webhooks do).
    {
      provide: ChannelConnections,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new ChannelConnections({ allowLoopback: config.webhooks.allowPrivateUrls }),
    },
    // Each recorded call is also counted on /metrics (AI requests, tokens, credits, latency).
    {
      provide: UsageRecordRepository,
      inject: [DataSource, AiCallMetrics],
      useFactory: (ds: DataSource, metrics: AiCallMetrics) => new MeteredUsageRecordRepository(ds, metrics),
    },
    {
      provide: ProviderKeyRepository,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, config: AppConfig) => new ProviderKeyRepository(ds, new SecretBox(config.encryptionKey, config.previousEncryptionKeys)),
    },
    {
      provide: CHAT_PROVIDERS,
      inject: [AppConfig, ChannelConnections],
      useFactory: (config: AppConfig, channels: ChannelConnections): ChatProvider[] => [
        new OpenAiChatProvider({ baseUrl: config.ai.openai.baseUrl, deadlines: providerDeadlines(config), channels }),
        new AnthropicChatProvider({ baseUrl: config.ai.anthropic.baseUrl, deadlines: providerDeadlines(config), channels }),
        new GeminiChatProvider({ baseUrl: config.ai.gemini.baseUrl, deadlines: providerDeadlines(config), channels }),
      ],
    },
    {
      provide: PASSTHROUGH_PROVIDERS,
      inject: [AppConfig, ChannelConnections],
      useFactory: (config: AppConfig, channels: ChannelConnections): PassthroughProvider[] => [
        new HttpPassthroughProvider('openai', { baseUrl: config.ai.openai.baseUrl, deadlines: providerDeadlines(config), channels }),
        new HttpPassthroughProvider('anthropic', { baseUrl: config.ai.anthropic.baseUrl, deadlines: providerDeadlines(config), channels }),
        new HttpPassthroughProvider('gemini', { baseUrl: config.ai.gemini.baseUrl, deadlines: providerDeadlines(config), channels }),
      ],
    },
    PassthroughGateway,
    CrossFormatGateway,
    ProviderCaller,
    ModelCatalog,
    ProviderKeys,
    ProviderHealth,
    ChannelDirectory,
    ChatGateway,
    ...AI_GRAPHQL_PROVIDERS,
    ...MCP_WEBSOCKET_PROVIDERS,
  ],
  exports: [ChatGateway, ModelCatalog, ProviderHealth, ProviderKeys],
})
export class AiModule {}

function providerDeadlines(config: AppConfig): ProviderDeadlines {
  return {
    requestTimeoutMs: config.ai.requestTimeoutMs,
    firstByteTimeoutMs: config.ai.streamFirstByteTimeoutMs,
    idleTimeoutMs: config.ai.streamIdleTimeoutMs,
  };
}
