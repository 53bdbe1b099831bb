import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  output,
  untracked,
  ViewEncapsulation,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { provideNativeDateAdapter, type ErrorStateMatcher } from '@angular/material/core';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, Router, type ParamMap } from '@angular/router';

import { applyToUrl, type QueryChange } from '../../data/url-filter';
import { bindFields, type BoundField } from './bound-fields';
import { fieldParams, type FilterField } from './filter-fields';

/**
 * A list page's filter bar: search boxes, choices, date ranges and checkboxes described as data
 * (`FilterField`), each bound both ways to its query parameter, and "Clear filters" while any is set.
 * Controls the fields cannot describe (a user picker) are projected in front of them; their
 * parameters go in `extraParams` so that clearing covers them too.
 *
 * ```html
 * <sah-filter-bar label="Filter users" testIdPrefix="users" [fields]="filterFields" />
 * ```
 */
@Component({
  selector: 'sah-filter-bar',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
  ],
  providers: [provideNativeDateAdapter()],
  template: `
    <div class="filter-bar" role="search" [attr.aria-label]="label()">
      <ng-content />
      @for (bound of bound(); track $index) {
        @switch (bound.kind) {
          @case ('text') {
            <mat-form-field
              appearance="outline"
              subscriptSizing="dynamic"
              class="filter-bar__field"
              [class.filter-bar__wide]="bound.field.wide"
            >
              <mat-label>{{ bound.field.label }}</mat-label>
              @if (bound.field.search) {
                <mat-icon matPrefix aria-hidden="true">search</mat-icon>
              }
              <input
                matInput
                [type]="bound.field.search ? 'search' : 'text'"
                [formControl]="bound.control"
                [errorStateMatcher]="whileTyping"
                [matAutocomplete]="suggestions"
                [matAutocompleteDisabled]="!bound.field.suggestions"
                [maxlength]="bound.field.maxLength"
                [placeholder]="bound.field.placeholder ?? ''"
                autocomplete="off"
                [attr.data-testid]="bound.field.testId"
              />
              <mat-autocomplete #suggestions="matAutocomplete">
                @for (suggestion of suggest(bound.field.suggestions, bound.control.value); track suggestion) {
                  <mat-option [value]="suggestion">{{ suggestion }}</mat-option>
                }
              </mat-autocomplete>
              @if (bound.control.invalid) {
                <mat-error>{{ bound.field.invalidMessage }}</mat-error>
              }
            </mat-form-field>
          }
          @case ('choice') {
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="filter-bar__field">
              <mat-label>{{ bound.field.label }}</mat-label>
              <mat-select [formControl]="bound.control" [attr.data-testid]="bound.field.testId">
                <mat-option value="">{{ bound.field.anyLabel ?? 'Any' }}</mat-option>
                @for (option of bound.field.options; track option.value) {
                  <mat-option [value]="option.value">{{ option.label }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          }
          @case ('choices') {
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="filter-bar__field">
              <mat-label>{{ bound.field.label }}</mat-label>
              <mat-select multiple [formControl]="bound.control" [attr.data-testid]="bound.field.testId">
                @for (option of bound.field.options; track option.value) {
                  <mat-option [value]="option.value">{{ option.label }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
          }
          @case ('dateRange') {
            <mat-form-field appearance="outline" subscriptSizing="dynamic" class="filter-bar__field">
              <mat-label>{{ bound.field.label }}</mat-label>
              <mat-date-range-input
                [rangePicker]="picker"
                [formGroup]="bound.group"
                [attr.data-testid]="bound.field.testId"
              >
                <input matStartDate formControlName="start" placeholder="From" />
                <input matEndDate formControlName="end" placeholder="To" />
              </mat-date-range-input>
              <mat-datepicker-toggle matIconSuffix [for]="picker" />
              <mat-date-range-picker #picker />
            </mat-form-field>
          }
          @case ('toggle') {
            <mat-checkbox [formControl]="bound.control" [attr.data-testid]="bound.field.testId">
              {{ bound.field.label }}
            </mat-checkbox>
          }
        }
      }
      @if (active()) {
        <button
          mat-button
          type="button"
          (click)="clear()"
          [attr.data-testid]="testIdPrefix() ? testIdPrefix() + '-clear-filters' : null"
        >
          <mat-icon aria-hidden="true">filter_alt_off</mat-icon>
          Clear filters
        </button>
      }
    </div>
  `,
  // Not encapsulated: projected controls (a user picker) take the same sizes as the fields.
  styles: `
    .filter-bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
      margin-bottom: 16px;
    }
    .filter-bar > .filter-bar__field {
      flex: 0 1 14rem;
    }
    .filter-bar > .filter-bar__wide {
      flex: 1 1 18rem;
      max-width: 28rem;
    }
    @media (max-width: 599px) {
      .filter-bar > .filter-bar__field,
      .filter-bar > .filter-bar__wide {
        flex: 1 1 100%;
        max-width: none;
      }
    }
  `,
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FilterBarComponent {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);
  private readonly write = applyToUrl(this.router, this.route);

  readonly fields = input.required<readonly FilterField[]>();
  /** Names the search landmark, e.g. "Filter users". */
  readonly label = input.required<string>();
  /** Parameters of projected controls, cleared with the fields. */
  readonly extraParams = input<readonly string[]>([]);
  /** `<prefix>-clear-filters` on the clear button. */
  readonly testIdPrefix = input<string>('');
  /** After "Clear filters", for pages that keep state of their own beside the URL (a picked user). */
  readonly cleared = output();

  private readonly params = toSignal(this.route.queryParamMap, { requireSync: true });
  /** What each parameter last held, as written here or read from the URL. */
  private readonly known = new Map<string, string>();

  protected readonly bound = computed(() =>
    bindFields(this.fields(), this.destroyRef, (change, replaceUrl) => this.apply(change, replaceUrl)),
  );
  private readonly allParams = computed(() => [...this.fields().flatMap(fieldParams), ...this.extraParams()]);
  protected readonly active = computed(() => {
    const params = this.params();
    return this.allParams().some((name) => Boolean(params.get(name)));
  });

  /** A value that is not valid yet says why at once, not on blur. */
  protected readonly whileTyping: ErrorStateMatcher = {
    isErrorState: (control) => !!control && control.invalid && (control.dirty || control.touched),
  };

  constructor() {
    // A URL change from outside (the back button, a link) refills the fields.
    effect(() => {
      const bound = this.bound();
      const params = this.params();
      untracked(() => this.sync(bound, params));
    });
  }

  protected suggest(suggestions: readonly string[] | undefined, typed: string): readonly string[] {
    const text = typed.trim().toLowerCase();
    return suggestions?.filter((suggestion) => suggestion.toLowerCase().includes(text)) ?? [];
  }

  protected clear(): void {
    for (const bound of this.bound()) bound.reset();
    const change: Record<string, null> = {};
    for (const name of this.allParams()) {
      change[name] = null;
      this.known.set(name, '');
    }
    this.write(change);
    this.cleared.emit();
  }

  private apply(change: QueryChange, replaceUrl: boolean): void {
    const params = this.params();
    const entries = Object.entries(change);
    if (entries.every(([name, value]) => (value ?? '') === (params.get(name) ?? ''))) return;
    for (const [name, value] of entries) this.known.set(name, value ?? '');
    this.write(change, { replaceUrl });
  }

  private sync(bound: readonly BoundField[], params: ParamMap): void {
    for (const field of bound) {
      const values = fieldParams(field.field).map((name) => params.get(name) ?? '');
      const names = fieldParams(field.field);
      if (names.every((name, i) => this.known.get(name) === values[i])) continue;
      names.forEach((name, i) => this.known.set(name, values[i]));
      field.show(values);
    }
  }
}
