import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';

import { reloadableQuery } from '../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../shared/ui/error-state/error-state.component';
import { BarChartComponent, type ChartPoint, type ChartSeries } from './charts/bar-chart.component';
import { DashboardApi } from './data-access/dashboard.api';
import { SystemStatusComponent } from './system-status/system-status.component';

const CREDIT_SERIES: readonly ChartSeries[] = [
  { name: 'Sold', color: 'var(--mat-sys-primary)' },
  { name: 'Spent', color: 'var(--mat-sys-tertiary)' },
];
const AI_SERIES: readonly ChartSeries[] = [
  { name: 'Requests', color: 'var(--mat-sys-primary)' },
  { name: 'Errors', color: 'var(--mat-sys-error)' },
];

/**
 * The console's first page. Staff get the whole hub at a glance (each tile links to its page);
 * everyone else their own account. One GraphQL operation feeds it all.
 */
@Component({
  selector: 'sah-dashboard',
  imports: [
    BarChartComponent,
    DatePipe,
    DecimalPipe,
    ErrorStateComponent,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressSpinnerModule,
    PercentPipe,
    RouterLink,
    SystemStatusComponent,
  ],
  templateUrl: './dashboard.component.html',
  styleUrl: './dashboard.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardComponent {
  private readonly api = inject(DashboardApi);

  protected readonly data = reloadableQuery(() => this.api.load());
  protected readonly business = computed(() => this.data.value()?.dashboard.business ?? null);
  protected readonly personal = computed(() => this.data.value()?.dashboard.personal ?? null);
  protected readonly jobs = computed(() => this.data.value()?.mediaJobs.items ?? []);

  protected readonly creditSeries = CREDIT_SERIES;
  protected readonly aiSeries = AI_SERIES;

  protected readonly creditPoints = computed<ChartPoint[]>(
    () => this.business()?.credits.daily.map((d) => ({ label: d.day, values: [d.sold, d.spent] })) ?? [],
  );
  protected readonly aiPoints = computed<ChartPoint[]>(
    () => this.business()?.ai.daily.map((d) => ({ label: d.day, values: [d.requests, d.errors] })) ?? [],
  );

  reload(): void {
    this.data.reload();
  }
}
