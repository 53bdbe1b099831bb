import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * How a status reads at a glance: `good` (the normal, finished or working state), `notice` (worth a
 * look: a trial, money going out), `bad` (failed, refused, suspended) and `muted` (waiting, switched
 * off, over).
 */
export type StatusTone = 'good' | 'notice' | 'bad' | 'muted';

/** One tone for every status, or a tone per status (a status missing from it reads as muted). */
export type StatusTones = StatusTone | Readonly<Record<string, StatusTone>>;

/** A status as shown: its words and its tone. */
export interface StatusLook {
  readonly label: string;
  readonly tone: StatusTone;
}

/**
 * A status's words (`labels`, or the status itself) and tone. A status the console does not know yet
 * is shown as the API sent it, muted.
 */
export function statusLook(
  status: string,
  tones: StatusTones,
  labels?: Readonly<Record<string, string>> | null,
): StatusLook {
  const tone = typeof tones === 'string' ? tones : (tones[status] ?? 'muted');
  return { label: labels?.[status] ?? status, tone };
}

/**
 * A small badge naming a status: `<sah-status-chip [status]="payment.status" [labels]="LABELS" [tones]="TONES" />`.
 * The words carry the meaning and the tone's colour only repeats it (WCAG 1.4.1), so the label is
 * always the chip's text. The host keeps the `status-chip` and `status-chip--<tone>` classes, so a
 * page's `data-testid`, tooltip or `role` goes on the element itself.
 */
@Component({
  selector: 'sah-status-chip',
  template: `{{ look().label }}`,
  host: {
    class: 'status-chip',
    '[class.status-chip--good]': "look().tone === 'good'",
    '[class.status-chip--notice]': "look().tone === 'notice'",
    '[class.status-chip--bad]': "look().tone === 'bad'",
    '[class.status-chip--muted]': "look().tone === 'muted'",
  },
  styles: `
    :host {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-medium);
      white-space: nowrap;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    :host(.status-chip--notice) {
      background: var(--mat-sys-tertiary-container);
      color: var(--mat-sys-on-tertiary-container);
    }
    :host(.status-chip--bad) {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    :host(.status-chip--muted) {
      background: var(--mat-sys-surface-container-highest);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChipComponent {
  /** The status as the API names it (`FAILED`), or already in words for a two-state flag (`Enabled`). */
  readonly status = input.required<string>();
  /** The tone of each status, or one tone for all. */
  readonly tones = input<StatusTones>('good');
  /** Each status's words; without them, the status is shown as it is. */
  readonly labels = input<Readonly<Record<string, string>> | null>(null);

  protected readonly look = computed(() => statusLook(this.status(), this.tones(), this.labels()));
}
