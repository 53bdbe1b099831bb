import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, InjectionToken } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { exhaustMap, map, timer } from 'rxjs';

import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { AiApi } from '../data-access/ai.api';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import type { ProviderHealth } from '../data-access/ai.types';
import { CIRCUIT_LABELS, CIRCUIT_TONES, circuitHint, providerLabel } from '../ui/ai-labels';
import { channelRows, type ChannelRow } from './channel-routing';

/** Circuits open and close within seconds, so the page keeps itself current (milliseconds between loads). */
export const HEALTH_REFRESH_MS = new InjectionToken<number>('HEALTH_REFRESH_MS', { factory: () => 15_000 });

interface ProviderView extends ProviderHealth {
  /** Its channels in priority routing order. */
  readonly rows: readonly ChannelRow[];
}

interface HealthSnapshot {
  readonly providers: readonly ProviderView[];
  readonly at: Date;
}

/**
 * Per provider: circuit state, error rate and latency of recent calls, whether it has a key, and its
 * channels in routing order, each with its own circuit and figures (which one calls go to, and why not).
 */
@Component({
  selector: 'sah-provider-health',
  imports: [
    DatePipe,
    DecimalPipe,
    PercentPipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    ErrorStateComponent,
    StatusChipComponent,
  ],
  templateUrl: './provider-health.component.html',
  styleUrl: './provider-health.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderHealthComponent {
  private readonly api = inject(AiApi);

  protected readonly circuitLabels = CIRCUIT_LABELS;
  protected readonly circuitTones = CIRCUIT_TONES;
  protected readonly circuitHint = circuitHint;
  protected readonly providerLabel = providerLabel;

  private readonly refreshMs = inject(HEALTH_REFRESH_MS);
  /** Loads at once and then every HEALTH_REFRESH_MS; a failure stops it until retried. */
  private readonly health = reloadableQuery(() =>
    timer(0, this.refreshMs).pipe(
      exhaustMap(() => this.api.providerHealth()),
      map((providers): HealthSnapshot => ({
        providers: providers.map((p) => ({ ...p, rows: channelRows(p) })),
        at: new Date(),
      })),
    ),
  );
  protected readonly snapshot = this.health.value;
  protected readonly loading = this.health.loading;
  protected readonly error = this.health.error;

  protected refresh(): void {
    this.health.reload();
  }
}
