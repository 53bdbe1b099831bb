import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MediaProvider, MediaStore, ModerationProvider } from '@sah/domain';
import {
  FalMediaProvider,
  LocalMediaStore,
  MediaJobRepository,
  MediaModelRepository,
  OpenAiMediaProvider,
  OpenAiModerationProvider,
  ProviderKeyRepository,
  QUEUES,
  S3MediaStore,
  SecretBox,
} from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ProviderKeys } from '../ai/application/provider-keys';
import { LedgerModule } from '../billing/ledger.module';
import { CreateMediaJobHandler } from './application/create-media-job.handler';
import { MediaJobRunner } from './application/media-job-runner';
import { MEDIA_PROVIDERS, MediaProviderRouter } from './application/media-provider-router';
import { MediaJobs } from './application/media-jobs.service';
import { MediaCatalogue } from './application/media-catalogue';
import { MediaProviderKeys } from './application/media-provider-keys';
import { MediaResults } from './application/media-results';
import { MediaErasure } from './application/media-erasure';
import { MediaPersonalData } from './application/media-personal-data';
import { MediaRetention } from './application/media-retention';
import { MediaSettlement } from './application/media-settlement';
import { MediaUpdates } from './application/media-updates';
import { SignedUrls } from './application/signed-urls';
import { MediaJobsResolver } from './graphql/media-jobs.resolver';
import { MediaFilesController } from './http/media-files.controller';
import { MediaJobsController } from './http/media-jobs.controller';
import { OpenAiMediaController } from './http/openai-media.controller';
import { MediaImageProcessor, MediaVideoProcessor } from './jobs/media.processors';
import { MediaMcpTools } from './mcp/media-mcp-tools';
import { MediaQueue } from './jobs/media-queue';
import { MediaRecovery } from './jobs/media-recovery';

@Injectable()
class MediaStoreLifecycle implements OnApplicationShutdown {
  constructor(private readonly store: MediaStore) {}

  onApplicationShutdown(): void {
    if (this.store instanceof S3MediaStore) this.store.close();
  }
}

/**
 * The media bounded context: image and video generation as billable jobs on the `media-image` and
 * `media-video` queues. Processes that run workers also run the processors.
 */
@Module({})
export class MediaModule {
  static register(options: { runWorkers: boolean; http: boolean }): DynamicModule {
    return {
      module: MediaModule,
      imports: [LedgerModule, BullModule.registerQueue({ name: QUEUES.mediaImage }, { name: QUEUES.mediaVideo })],
      controllers: options.http ? [MediaJobsController, OpenAiMediaController, MediaFilesController] : [],
      providers: [
        { provide: MediaJobRepository, inject: [DataSource], useFactory: (ds: DataSource) => new MediaJobRepository(ds) },
        { provide: MediaModelRepository, inject: [DataSource], useFactory: (ds: DataSource) => new MediaModelRepository(ds) },
        MediaCatalogue,
        {
          provide: MediaStore,
          inject: [AppConfig],
          useFactory: ({ media }: AppConfig) => (media.s3 ? new S3MediaStore(media.s3) : new LocalMediaStore(media.storageDir)),
        },
        {
          provide: MEDIA_PROVIDERS,
          inject: [AppConfig],
          useFactory: (config: AppConfig): MediaProvider[] => [
            new OpenAiMediaProvider({ baseUrl: config.ai.openai.baseUrl, videoBaseUrl: config.media.videoBaseUrl, timeoutMs: config.ai.requestTimeoutMs }),
            new FalMediaProvider({ proxyUrl: config.media.fal.proxyUrl, timeoutMs: config.ai.requestTimeoutMs }),
          ],
        },
        {
          provide: ModerationProvider,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => new OpenAiModerationProvider({ baseUrl: config.ai.openai.baseUrl, timeoutMs: config.ai.requestTimeoutMs }),
        },
        // The gateway's credentials (environment and admin-added keys), read the way the AI context reads them.
        {
          provide: ProviderKeyRepository,
          inject: [DataSource, AppConfig],
          useFactory: (ds: DataSource, config: AppConfig) => new ProviderKeyRepository(ds, new SecretBox(config.encryptionKey, config.previousEncryptionKeys)),
        },
        ProviderKeys,
        MediaProviderKeys,
        MediaProviderRouter,
        MediaUpdates,
        MediaSettlement,
        MediaQueue,
        MediaJobRunner,
        CreateMediaJobHandler,
        MediaJobs,
        MediaResults,
        SignedUrls,
        MediaRetention,
        MediaPersonalData,
        MediaErasure,
        MediaStoreLifecycle,
        ...(options.http ? [MediaJobsResolver, MediaMcpTools] : []),
        ...(options.runWorkers ? [MediaImageProcessor, MediaVideoProcessor, MediaRecovery] : []),
      ],
    };
  }
}
