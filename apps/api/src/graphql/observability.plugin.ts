import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { MetricsService } from '../platform/metrics/metrics.service';

export interface GraphqlContext {
  req?: Request;
}

function isRateLimited(result: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }): boolean {
  return result.data == null && (result.errors ?? []).some((error) => error.extensions?.code === 'RATE_LIMITED');
}

/** Operation names come from clients: keep the metric label set small and printable. */
function operationLabel(name: string | null | undefined): string {
  return name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'anonymous';
}

/**
 * Times every operation into the `graphql_operation_duration_seconds` histogram, stamps errors with
 * the request id, and logs the unexpected ones (the client only sees "Internal server error").
 */
export function observabilityPlugin(metrics: MetricsService, logger: Logger): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      const requestId = contextValue.req?.id;
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (!code || code === 'INTERNAL_SERVER_ERROR') {
              logger.error({ err: error.originalError ?? error, request_id: requestId, operation: operationName }, 'graphql error');
            }
          }
        },
        async willSendResponse({ response, operation, operationName, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.observeGraphql(operationLabel(operationName), operation?.operation ?? 'unknown', errors?.length ? 'error' : 'ok', seconds);
          const formatted = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (response.body.kind === 'single' && isRateLimited(response.body.singleResult)) {
            // A refused rate limit is an HTTP-level answer (429), so clients and proxies back off. Nothing
            // ran, so there is no `data`; without it Nest's driver also leaves the status alone.
            delete response.body.singleResult.data;
            response.http.status = 429;
          }
          if (formatted && requestId) {
            for (const error of formatted) {
              (error.extensions as Record<string, unknown> | undefined) ??= {};
              Object.assign(error.extensions as Record<string, unknown>, { request_id: requestId });
            }
          }
        },
      };
    },
  };
}
