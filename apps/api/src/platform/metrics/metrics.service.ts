import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per app instance, so tests that boot several apps never collide on metric names. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration by operation name, type and outcome',
    labelNames: ['operation', 'type', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly dependencyUp = new Gauge({
    name: 'dependency_up',
    help: '1 when the dependency answered its last health check, else 0',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Express middleware: observes every response, labelled by the route pattern, not the raw URL. */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer();
      res.once('finish', () => {
        stop({ method: req.method, route: routeLabel(req, res), status_code: res.statusCode });
      });
      next();
    };
  }

  observeGraphql(operation: string, type: string, status: 'ok' | 'error', seconds: number): void {
    this.graphqlDuration.observe({ operation, type, status }, seconds);
  }

  setDependencyUp(dependency: string, up: boolean): void {
    this.dependencyUp.set({ dependency }, up ? 1 : 0);
  }
}

/** Nest mounts global middleware on this catch-all pattern; it says nothing about the route. */
const MIDDLEWARE_WILDCARD = '/{*path}';

function routeLabel(req: Request, res: Response): string {
  const pattern = (req.route as { path?: string } | undefined)?.path;
  if (pattern && pattern !== MIDDLEWARE_WILDCARD) return `${req.baseUrl}${pattern}`;
  // A mounted handler such as Apollo's at /graphql.
  if (req.baseUrl) return req.baseUrl;
  if (req.path.startsWith('/admin/') && res.statusCode < 400) return '/admin/static';
  return 'unmatched';
}
