import { startTracing } from './tracing';

/** First import of worker.main.ts: tracing hooks must be in place before pg, ioredis and BullMQ load. */
startTracing('worker');
