import { startTracing } from './tracing';

/** First import of main.ts: tracing hooks must be in place before express, graphql, pg and ioredis load. */
startTracing('api');
