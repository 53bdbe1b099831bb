import { DecimalPipe, formatNumber, formatPercent, PercentPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  input,
  LOCALE_ID,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { provideCharts } from 'ng2-charts';
import { catchError, forkJoin, map, of, switchMap, type Observable } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { ThemeService } from '../../../core/theme/theme.service';
import { fileDownload } from '../../../shared/data/download';
import { sameJson } from '../../../shared/data/query-params';
import { applyToUrl } from '../../../shared/data/url-filter';
import { QueryStateComponent } from '../../../shared/ui/query-state/query-state.component';
import { SelectFieldComponent } from '../../../shared/ui/select-field/select-field.component';
import type { TableColumn } from '../../../shared/ui/list-page';
import { CreditsPipe, formatCredits } from '../../billing/ui/credits.pipe';
import { IdentityApi } from '../../identity/data-access/identity.api';
import { AiApi } from '../data-access/ai.api';
import type { UsageFilter, UsageGroupBy, UsageRow, UsageSummary } from '../data-access/ai.types';
import { filteredQuery } from '../../../shared/data/reloadable-query';
import { providerLabel } from '../ui/ai-labels';
import { readChartColors } from '../ui/chart-colors';
import { UsageChartComponent } from './usage-chart.component';
import { BREAKDOWN_CHART_LIMIT, breakdownChart, dailyChart } from './usage-charts';
import {
  BREAKDOWNS,
  dayToPicker,
  GROUP_LABELS,
  pickedDay,
  toUsageView,
  type Breakdown,
} from './usage-filter';

/**
 * AI usage over a period: totals, credits and requests per day, and a breakdown by model, provider,
 * user or team, as charts and a table, with the same figures as a CSV download. Whose usage it is
 * the API decides: the caller's own, a manager's teams', everyone's for administrators.
 */
@Component({
  selector: 'sah-usage',
  imports: [
    DecimalPipe,
    PercentPipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatMenuModule,
    MatProgressSpinnerModule,
    MatTableModule,
    UsageChartComponent,
    QueryStateComponent,
    SelectFieldComponent,
    CreditsPipe,
  ],
  providers: [
    provideNativeDateAdapter(),
    // Only the chart parts these charts draw, to keep the page's bundle small.
    provideCharts({
      registerables: [
        BarController,
        BarElement,
        LineController,
        LineElement,
        PointElement,
        CategoryScale,
        LinearScale,
        Tooltip,
        Legend,
      ],
    }),
  ],
  templateUrl: './usage.component.html',
  styleUrl: './usage.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsageComponent {
  private readonly api = inject(AiApi);
  private readonly identity = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly theme = inject(ThemeService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly locale = inject(LOCALE_ID);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly from = input<string>();
  readonly to = input<string>();
  readonly by = input<string>();

  private readonly today = new Date();
  /** Per user and per team only for those who see more than their own calls. */
  protected readonly breakdowns = computed<readonly Breakdown[]>(() =>
    this.auth.can('users:read') ? BREAKDOWNS : BREAKDOWNS.filter((b) => b === 'MODEL' || b === 'PROVIDER'),
  );
  protected readonly groupLabel = (groupBy: UsageGroupBy): string => GROUP_LABELS[groupBy];
  protected readonly breakdownOptions = computed(() =>
    this.breakdowns().map((breakdown) => ({ value: breakdown, label: GROUP_LABELS[breakdown] })),
  );
  protected readonly scope = computed(() =>
    this.auth.can('users:manage')
      ? 'Everyone’s calls'
      : this.auth.can('users:read')
        ? 'Your calls and your teams’'
        : 'Your calls',
  );
  protected readonly canOpenUsers = computed(() => this.auth.can('users:manage'));

  protected readonly view = computed(
    () => toUsageView({ from: this.from(), to: this.to(), by: this.by() }, this.today, this.breakdowns()),
    { equal: sameJson },
  );
  private readonly dailyFilter = computed<UsageFilter>(
    () => ({ from: this.view().from, to: this.view().to, groupBy: 'DAY' }),
    { equal: sameJson },
  );
  private readonly breakdownFilter = computed<UsageFilter>(
    () => ({ from: this.view().from, to: this.view().to, groupBy: this.view().breakdown }),
    { equal: sameJson },
  );

  protected readonly daily = filteredQuery(this.dailyFilter, (filter) => this.api.usageSummary(filter));
  protected readonly breakdown = filteredQuery(this.breakdownFilter, (filter) => this.api.usageSummary(filter));
  protected readonly dailySummary = this.daily.value;
  protected readonly breakdownSummary = this.breakdown.value;

  /** Names for user and team ids, where the caller may look them up; ids are shown otherwise. */
  private readonly names = toSignal(
    toObservable(this.breakdownSummary).pipe(switchMap((summary) => (summary ? this.namesFor(summary) : of(new Map())))),
    { initialValue: new Map<string, string>() },
  );
  /** How a row's key is shown; read with the summary's own grouping, not the one being loaded. */
  protected readonly labelOf = (key: string, groupBy: UsageGroupBy): string =>
    groupBy === 'PROVIDER' ? providerLabel(key) : (this.names().get(key) ?? key);

  /** Read again when the theme changes: the canvas cannot follow CSS variables by itself. */
  private readonly colors = computed(() => {
    this.theme.mode();
    return readChartColors(this.host.nativeElement);
  });
  private readonly formatCredits = (value: number) => formatCredits(value, this.locale);
  protected readonly dailyChart = computed(() => {
    const summary = this.dailySummary();
    return summary ? dailyChart(summary.rows, this.view(), this.colors(), this.formatCredits) : null;
  });
  protected readonly breakdownChart = computed(() => {
    const summary = this.breakdownSummary();
    return summary
      ? breakdownChart(summary.rows, (key) => this.labelOf(key, summary.groupBy), this.colors(), this.formatCredits)
      : null;
  });
  protected readonly chartLimit = BREAKDOWN_CHART_LIMIT;

  /** The breakdown table's figures, after the group's own column (`key`). */
  protected readonly figureColumns: readonly TableColumn<UsageRow>[] = [
    { key: 'requests', header: 'Requests', cell: (row) => formatNumber(row.requests, this.locale) },
    { key: 'inputTokens', header: 'Tokens in', cell: (row) => formatNumber(row.inputTokens, this.locale) },
    { key: 'outputTokens', header: 'Tokens out', cell: (row) => formatNumber(row.outputTokens, this.locale) },
    { key: 'credits', header: 'Credits', cell: (row) => this.formatCredits(row.credits), testId: 'usage-row-credits' },
    { key: 'avgLatencyMs', header: 'Avg latency', cell: (row) => this.milliseconds(row.avgLatencyMs) },
    { key: 'p95LatencyMs', header: 'p95 latency', cell: (row) => this.milliseconds(row.p95LatencyMs) },
    { key: 'errorRate', header: 'Errors', cell: (row) => formatPercent(row.errorRate, this.locale, '1.0-1') },
  ];
  protected readonly columns = ['key', ...this.figureColumns.map((column) => column.key)];
  /** The CSV of the period shown, by day or grouped. */
  protected readonly csv = fileDownload(
    (groupBy: UsageGroupBy) => this.api.usageCsv({ from: this.view().from, to: this.view().to, groupBy }),
    (error) => {
      const status = (error as { status?: unknown } | null)?.status;
      const reason = typeof status === 'number' && status > 0 ? `the server answered with HTTP ${status}.` : 'the server could not be reached.';
      return `The export failed: ${reason}`;
    },
  );
  private readonly applyFilter = applyToUrl(inject(Router), inject(ActivatedRoute));

  protected readonly form = inject(NonNullableFormBuilder).group({
    start: [null as Date | null],
    end: [null as Date | null],
  });

  constructor() {
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(({ start, end }) => {
      // Wait for both ends: the picker sets the start first.
      if (!start || !end) return;
      const range = { from: pickedDay(start), to: pickedDay(end) };
      const { fromDay, toDay } = this.view();
      if (range.from === fromDay && range.to === toDay) return;
      this.applyFilter(range);
    });

    // The URL (also on back and forward) decides what the range picker shows.
    effect(() => {
      const { fromDay, toDay } = this.view();
      untracked(() =>
        this.form.setValue({ start: dayToPicker(fromDay), end: dayToPicker(toDay) }, { emitEvent: false }),
      );
    });
  }

  protected chooseBreakdown(breakdown: Breakdown): void {
    this.applyFilter({ by: breakdown === 'MODEL' ? null : breakdown.toLowerCase() });
  }

  private milliseconds(value: number | null): string {
    return value === null ? '—' : `${formatNumber(value, this.locale, '1.0-0')} ms`;
  }

  private namesFor(summary: UsageSummary): Observable<Map<string, string>> {
    if (summary.groupBy === 'TEAM' && this.auth.can('teams:manage')) {
      return this.identity.teams().pipe(
        map((teams) => new Map(teams.map((team) => [team.id, team.name]))),
        catchError(() => of(new Map<string, string>())),
      );
    }
    if (summary.groupBy === 'USER') {
      // Only the groups the chart draws: one lookup each, so the table keeps ids beyond them.
      const ids = summary.rows.slice(0, BREAKDOWN_CHART_LIMIT).map((row) => row.key);
      if (ids.length === 0) return of(new Map<string, string>());
      return forkJoin(
        ids.map((id) =>
          this.identity.user(id).pipe(
            map((user): [string, string] => [id, user.email]),
            catchError(() => of<[string, string]>([id, id])),
          ),
        ),
      ).pipe(map((pairs) => new Map(pairs)));
    }
    return of(new Map<string, string>());
  }
}
