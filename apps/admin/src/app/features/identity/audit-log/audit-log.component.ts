import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe, JsonPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, type AbstractControl } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { provideNativeDateAdapter, type ErrorStateMatcher } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { debounceTime, map, merge } from 'rxjs';

import { formatDay, parseDay } from '../../../shared/data/local-day';
import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson, SEARCH_DEBOUNCE_MS } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { isUuid } from '../../../shared/data/uuid';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { IdentityApi } from '../data-access/identity.api';
import type { AuditEntry } from '../data-access/identity.types';
import {
  AUDIT_PAGE_SIZES,
  DEFAULT_AUDIT_PER_PAGE,
  KNOWN_AUDIT_ACTIONS,
  toAuditLogFilter,
} from './audit-log-filter';

type FilterKey = 'action' | 'actorId' | 'from' | 'to';
type FilterChange = Partial<Record<FilterKey, string | null>>;

@Component({
  selector: 'sah-audit-log',
  imports: [
    DatePipe,
    JsonPipe,
    ReactiveFormsModule,
    RouterLink,
    MatAutocompleteModule,
    MatButtonModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatTableModule,
    MatTooltipModule,
    TablePanelComponent,
  ],
  providers: [provideNativeDateAdapter()],
  templateUrl: './audit-log.component.html',
  styleUrl: './audit-log.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent {
  private readonly api = inject(IdentityApi);
  private readonly url = urlFilter(DEFAULT_AUDIT_PER_PAGE);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly action = input<string>();
  readonly actorId = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly page = input<string>();
  readonly perPage = input<string>();

  protected readonly pageSizes = AUDIT_PAGE_SIZES;
  protected readonly form = inject(NonNullableFormBuilder).group({
    action: [''],
    actorId: ['', uuidOrEmpty],
    range: inject(NonNullableFormBuilder).group({
      start: [null as Date | null],
      end: [null as Date | null],
    }),
  });
  /** The actor id is applied while typing, so say at once (not on blur) why it is not yet. */
  protected readonly whileTyping: ErrorStateMatcher = {
    isErrorState: (control) => !!control && control.invalid && (control.dirty || control.touched),
  };
  private readonly actionText = toSignal(this.form.controls.action.valueChanges, { initialValue: '' });
  protected readonly actionOptions = computed(() => {
    const text = this.actionText().trim().toLowerCase();
    return KNOWN_AUDIT_ACTIONS.filter((action) => action.includes(text));
  });

  protected readonly filter = computed(
    () =>
      toAuditLogFilter({
        action: this.action(),
        actorId: this.actorId(),
        from: this.from(),
        to: this.to(),
        page: this.page(),
        perPage: this.perPage(),
      }),
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { action, actorId, from, to } = this.filter();
    return Boolean(action || actorId || from || to);
  });

  private readonly list = pagedQuery(this.filter, (filter) => this.api.auditLog(filter));
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly result = this.list.page;
  protected readonly rows = this.list.rows;
  protected readonly expanded = signal<string | null>(null);

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 839px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly isNarrow = this.narrow;
  protected readonly columns = computed(() =>
    this.narrow()
      ? ['occurredAt', 'action', 'expand']
      : ['occurredAt', 'actorId', 'action', 'target', 'ip', 'requestId', 'expand'],
  );

  /** What this page last wrote to the URL; any other URL value came from outside (back button). */
  private readonly pushed: Partial<Record<FilterKey, string>> = {};

  constructor() {
    const { action, actorId, range } = this.form.controls;
    merge(action.valueChanges, actorId.valueChanges)
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed())
      .subscribe(() => this.applyText());
    range.valueChanges.pipe(takeUntilDestroyed()).subscribe(({ start, end }) => {
      // Wait for both ends (the picker sets the start first), or for both to be cleared.
      if (Boolean(start) !== Boolean(end)) return;
      this.applyFilter({ from: start ? formatDay(start) : null, to: end ? formatDay(end) : null });
    });

    effect(() => {
      const params: Record<FilterKey, string> = {
        action: this.action() ?? '',
        actorId: this.actorId() ?? '',
        from: this.from() ?? '',
        to: this.to() ?? '',
      };
      untracked(() => this.syncForm(params));
    });
  }

  protected toggle(entry: AuditEntry): void {
    this.expanded.update((id) => (id === entry.id ? null : entry.id));
  }

  protected clearFilters(): void {
    this.form.reset(undefined, { emitEvent: false });
    this.applyFilter({ action: null, actorId: null, from: null, to: null });
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }

  protected retry(): void {
    this.list.reload();
  }

  private applyText(): void {
    const actorId = this.form.controls.actorId.value.trim();
    // A half-typed id is not sent (the API would refuse it); the field says what is wrong.
    if (actorId && !isUuid(actorId)) return;
    this.applyFilter({ action: this.form.controls.action.value.trim() || null, actorId: actorId || null });
  }

  private applyFilter(change: FilterChange): void {
    const current: Record<FilterKey, string> = {
      action: this.action() ?? '',
      actorId: this.actorId() ?? '',
      from: this.from() ?? '',
      to: this.to() ?? '',
    };
    const entries = Object.entries(change) as [FilterKey, string | null][];
    if (entries.every(([key, value]) => (value ?? '') === current[key])) return;
    for (const [key, value] of entries) this.pushed[key] = value ?? '';
    this.url.apply(change);
  }

  private syncForm(params: Record<FilterKey, string>): void {
    const { action, actorId, range } = this.form.controls;
    if (params.action !== this.pushed.action) action.setValue(params.action, { emitEvent: false });
    if (params.actorId !== this.pushed.actorId) actorId.setValue(params.actorId, { emitEvent: false });
    if (params.from !== this.pushed.from || params.to !== this.pushed.to) {
      range.setValue({ start: parseDay(params.from), end: parseDay(params.to) }, { emitEvent: false });
    }
    Object.assign(this.pushed, params);
  }
}

function uuidOrEmpty(control: AbstractControl<string>): { uuid: true } | null {
  const value = control.value.trim();
  return value && !isUuid(value) ? { uuid: true } : null;
}
