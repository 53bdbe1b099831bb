import type { DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, type ValidatorFn } from '@angular/forms';
import { debounceTime, type Observable } from 'rxjs';

import { formatDay, parseDay } from '../../data/local-day';
import { SEARCH_DEBOUNCE_MS } from '../../data/query-params';
import type { QueryChange } from '../../data/url-filter';
import type { ChoiceField, DateRangeField, FilterField, TextField, ToggleField } from './filter-fields';

interface Binding {
  /** Shows the URL's values (one per `fieldParams`) without writing them back. */
  show(values: readonly string[]): void;
  /** Empties the field without writing to the URL (clearing writes every parameter at once). */
  reset(): void;
}

type DateRange = FormGroup<{ start: FormControl<Date | null>; end: FormControl<Date | null> }>;

/** A field with its form control; `kind` tells the template which control it renders. */
export type BoundField = Binding &
  (
    | { readonly kind: 'text'; readonly field: TextField; readonly control: FormControl<string> }
    | { readonly kind: 'choice'; readonly field: ChoiceField; readonly control: FormControl<string> }
    | { readonly kind: 'choices'; readonly field: ChoiceField; readonly control: FormControl<string[]> }
    | { readonly kind: 'dateRange'; readonly field: DateRangeField; readonly group: DateRange }
    | { readonly kind: 'toggle'; readonly field: ToggleField; readonly control: FormControl<boolean> }
  );

type Apply = (change: QueryChange, replaceUrl: boolean) => void;

/** Creates each field's control and writes the user's changes to the URL through `apply`. */
export function bindFields(fields: readonly FilterField[], destroyRef: DestroyRef, apply: Apply): BoundField[] {
  const until = <T>(changes: Observable<T>) => changes.pipe(takeUntilDestroyed(destroyRef));
  return fields.map((field): BoundField => {
    switch (field.kind) {
      case 'text':
        return bindText(field, until, apply);
      case 'choice':
        return field.multiple ? bindChoices(field, until, apply) : bindChoice(field, until, apply);
      case 'dateRange':
        return bindDateRange(field, until, apply);
      case 'toggle':
        return bindToggle(field, until, apply);
    }
  });
}

type Until = <T>(changes: Observable<T>) => Observable<T>;

function bindText(field: TextField, until: Until, apply: Apply): BoundField {
  const { valid } = field;
  const validator: ValidatorFn = (control) => {
    const text = String(control.value).trim();
    return valid && text && !valid(text) ? { invalid: true } : null;
  };
  const control = new FormControl('', { nonNullable: true, validators: [validator] });
  // Typing writes after a pause, replacing the history entry so Back does not step through keystrokes.
  until(control.valueChanges.pipe(debounceTime(SEARCH_DEBOUNCE_MS))).subscribe((value) => {
    const text = value.trim();
    // A half-typed value the API would refuse is not sent; the field says why.
    if (valid && text && !valid(text)) return;
    apply({ [field.param]: text || null }, true);
  });
  return {
    kind: 'text',
    field,
    control,
    show: ([value]) => control.setValue(value, { emitEvent: false }),
    reset: () => control.setValue('', { emitEvent: false }),
  };
}

function bindChoice(field: ChoiceField, until: Until, apply: Apply): BoundField {
  const control = new FormControl('', { nonNullable: true });
  until(control.valueChanges).subscribe((value) => apply({ [field.param]: value || null }, false));
  return {
    kind: 'choice',
    field,
    control,
    show: ([value]) => control.setValue(isOption(field, value) ? value : '', { emitEvent: false }),
    reset: () => control.setValue('', { emitEvent: false }),
  };
}

function bindChoices(field: ChoiceField, until: Until, apply: Apply): BoundField {
  const control = new FormControl<string[]>([], { nonNullable: true });
  until(control.valueChanges).subscribe((values) =>
    apply({ [field.param]: values.length > 0 ? values.join(',') : null }, false),
  );
  return {
    kind: 'choices',
    field,
    control,
    show: ([value]) =>
      control.setValue(
        value.split(',').filter((one) => isOption(field, one)),
        { emitEvent: false },
      ),
    reset: () => control.setValue([], { emitEvent: false }),
  };
}

function bindDateRange(field: DateRangeField, until: Until, apply: Apply): BoundField {
  const group: DateRange = new FormGroup({
    start: new FormControl<Date | null>(null),
    end: new FormControl<Date | null>(null),
  });
  until(group.valueChanges).subscribe(({ start, end }) => {
    // Wait for both ends (the picker sets the start first), or for both to be cleared.
    if (Boolean(start) !== Boolean(end)) return;
    apply(
      { [field.fromParam]: start ? formatDay(start) : null, [field.toParam]: end ? formatDay(end) : null },
      false,
    );
  });
  return {
    kind: 'dateRange',
    field,
    group,
    show: ([from, to]) => group.setValue({ start: parseDay(from), end: parseDay(to) }, { emitEvent: false }),
    reset: () => group.setValue({ start: null, end: null }, { emitEvent: false }),
  };
}

function bindToggle(field: ToggleField, until: Until, apply: Apply): BoundField {
  const control = new FormControl(false, { nonNullable: true });
  until(control.valueChanges).subscribe((checked) => apply({ [field.param]: checked ? 'true' : null }, false));
  return {
    kind: 'toggle',
    field,
    control,
    show: ([value]) => control.setValue(value === 'true', { emitEvent: false }),
    reset: () => control.setValue(false, { emitEvent: false }),
  };
}

function isOption(field: ChoiceField, value: string): boolean {
  return field.options.some((option) => option.value === value);
}
