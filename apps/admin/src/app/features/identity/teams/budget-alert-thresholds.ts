import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';

/** As many thresholds as the API takes (`SetTeamBudgetAlertsInput.thresholds`, MAX_ALERT_THRESHOLDS). */
export const MAX_ALERT_THRESHOLDS = 10;

/** Why a list of thresholds is refused, in words for the form field. */
export type ThresholdsProblem = 'not-whole' | 'out-of-range' | 'repeated' | 'too-many';

export const THRESHOLDS_PROBLEMS: Record<ThresholdsProblem, string> = {
  'not-whole': 'Whole percentages, separated by commas, e.g. 50, 80, 100.',
  'out-of-range': 'Each percentage is from 1 to 100.',
  repeated: 'Each percentage once.',
  'too-many': `At most ${MAX_ALERT_THRESHOLDS} thresholds.`,
};

/**
 * Percentages typed as "50, 80 100" (commas or spaces), in ascending order, or what is wrong with
 * them. Empty is a valid list: no alerts.
 */
export function parseThresholds(text: string): { readonly thresholds: number[] } | { readonly problem: ThresholdsProblem } {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.some((part) => !/^\d+$/.test(part.replace(/%$/, '')))) return { problem: 'not-whole' };
  const numbers = parts.map((part) => Number(part.replace(/%$/, '')));
  if (numbers.some((percent) => percent < 1 || percent > 100)) return { problem: 'out-of-range' };
  if (new Set(numbers).size !== numbers.length) return { problem: 'repeated' };
  if (numbers.length > MAX_ALERT_THRESHOLDS) return { problem: 'too-many' };
  return { thresholds: [...numbers].sort((a, b) => a - b) };
}

/** The field's error is `{ thresholds: <problem> }`. */
export function thresholdsValidator(): ValidatorFn {
  return (control: AbstractControl<string | null>): ValidationErrors | null => {
    const parsed = parseThresholds(control.value ?? '');
    return 'problem' in parsed ? { thresholds: parsed.problem } : null;
  };
}

/** "50 %, 80 % and 100 %"; "none" for an empty list. */
export function thresholdsText(thresholds: readonly number[]): string {
  const items = thresholds.map((percent) => `${percent} %`);
  if (items.length === 0) return 'none';
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The thresholds in force as the wallet states them: "Alerts at 50 % and 80 % of the cap (the default)". */
export function alertsSummary(thresholds: readonly number[], custom: boolean): string {
  if (thresholds.length === 0) return 'No budget alerts';
  return `Alerts at ${thresholdsText(thresholds)} of the cap${custom ? '' : ' (the default)'}`;
}
