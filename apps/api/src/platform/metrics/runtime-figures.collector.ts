import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Gauge } from 'prom-client';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ProviderHealth } from '../../contexts/ai/application/provider-health';
import { MetricsService } from './metrics.service';

/** This process's own state at scrape time: its PostgreSQL pool and its AI providers' circuit breakers. */
@Injectable()
export class RuntimeFiguresCollector {
  constructor(dataSource: DataSource, moduleRef: ModuleRef, metrics: MetricsService) {
    const registers = [metrics.registry];
    // The AI context may be absent (an app shape without it): then there is nothing to report.
    const providerHealth = () => {
      try {
        return moduleRef.get(ProviderHealth, { strict: false });
      } catch {
        return undefined;
      }
    };
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'sah_db_pool_connections',
      help: "This process's PostgreSQL pool: open connections (total, idle) and requests waiting for one",
      labelNames: ['state'],
      registers,
      collect() {
        const current = pool();
        if (!current) return;
        this.set({ state: 'total' }, current.totalCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
    new Gauge({
      name: 'sah_db_pool_max',
      help: "Largest number of connections this process's PostgreSQL pool may open (DATABASE_POOL_MAX)",
      registers,
      collect() {
        const max = pool()?.options.max;
        if (max !== undefined) this.set(max);
      },
    });
    new Gauge({
      name: 'sah_ai_provider_circuit_open',
      help: "1 while this process's circuit breaker for the provider is open (calls refused without trying), else 0",
      labelNames: ['provider'],
      registers,
      collect() {
        for (const report of providerHealth()?.report() ?? []) this.set({ provider: report.provider }, report.circuit === 'open' ? 1 : 0);
      },
    });
  }
}
