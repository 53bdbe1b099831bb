import { DynamicModule, Global, Module } from '@nestjs/common';
import { OutboxHandlers } from './outbox-handlers';
import { OutboxRelay } from './outbox-relay';

/**
 * The transactional outbox's consumer side. Handlers are registered everywhere (harmless); the relay
 * runs only in processes that run workers.
 */
@Global()
@Module({})
export class OutboxModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: OutboxModule,
      providers: [OutboxHandlers, ...(options.runWorkers ? [OutboxRelay] : [])],
      exports: [OutboxHandlers],
    };
  }
}
