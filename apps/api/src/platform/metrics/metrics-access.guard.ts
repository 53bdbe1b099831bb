import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape `GET /metrics` (route names, operation names and load are reconnaissance): with
 * METRICS_TOKEN set, only `Authorization: Bearer <token>`; without it, anyone in development and
 * tests, so a local Prometheus works as is, and no one in production.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { token } = this.config.metrics;
    if (!token) {
      if (this.config.env !== 'production') return true;
      throw new DomainError('NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to scrape them');
    }
    const authorization = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint about the token.
    if (!timingSafeEqual(digest(authorization), digest(`Bearer ${token}`))) {
      throw new DomainError('UNAUTHENTICATED', 'Scraping metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return true;
  }
}
