/**
 * A list page's filters, described as data: the filter bar renders them and keeps each bound to its
 * query parameter. Pages read the parameters back through their route inputs (the URL stays the one
 * source of truth), so these say only what is shown and where it is written.
 */

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

interface FieldBase {
  readonly label: string;
  /** `data-testid` of the input, for tests. */
  readonly testId?: string;
  /** Wider than the others (searches, ids). */
  readonly wide?: boolean;
}

/** Free text, written after a pause in typing. */
export interface TextField extends FieldBase {
  readonly kind: 'text';
  readonly param: string;
  readonly placeholder?: string;
  readonly maxLength: number;
  /** A search box: magnifier icon and `type="search"`. */
  readonly search?: boolean;
  /** Offered as the user types (an autocomplete list). */
  readonly suggestions?: readonly string[];
  /** A value failing this is not written (the API would refuse it); the field shows `invalidMessage`. */
  readonly valid?: (value: string) => boolean;
  readonly invalidMessage?: string;
}

/** A list's search box, written to `search`: wide, with a magnifier, `placeholder` saying what it matches. */
export function searchField(placeholder: string, maxLength: number, testId: string): TextField {
  return { kind: 'text', param: 'search', label: 'Search', search: true, wide: true, placeholder, maxLength, testId };
}

/**
 * One of `options` or any ("Any <label>"), written to `param`. The options may be a record of each
 * value's words (a status's labels), offered in the record's order.
 */
export function choiceField(
  param: string,
  label: string,
  options: readonly FilterOption[] | Readonly<Record<string, string>>,
  testId: string,
): ChoiceField {
  const list = Array.isArray(options)
    ? (options as readonly FilterOption[])
    : Object.entries(options).map(([value, words]) => ({ value, label: words }));
  return { kind: 'choice', param, label, anyLabel: `Any ${label.toLowerCase()}`, options: list, testId };
}

/** One of a fixed set (or several: `multiple`, comma-separated in the URL). */
export interface ChoiceField extends FieldBase {
  readonly kind: 'choice';
  readonly param: string;
  readonly options: readonly FilterOption[];
  /** The "no filter" entry of a single choice, e.g. "Any role". */
  readonly anyLabel?: string;
  readonly multiple?: boolean;
}

/** Local calendar days "YYYY-MM-DD" in two parameters; written once both ends are chosen. */
export interface DateRangeField extends FieldBase {
  readonly kind: 'dateRange';
  readonly fromParam: string;
  readonly toParam: string;
}

/** A checkbox: `param=true` while ticked, absent otherwise. */
export interface ToggleField extends FieldBase {
  readonly kind: 'toggle';
  readonly param: string;
}

export type FilterField = TextField | ChoiceField | DateRangeField | ToggleField;

/** The query parameters a field writes. */
export function fieldParams(field: FilterField): readonly string[] {
  return field.kind === 'dateRange' ? [field.fromParam, field.toParam] : [field.param];
}
