import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router } from '@angular/router';
import { map } from 'rxjs';

import { applyToUrl } from '../../../shared/data/url-filter';
import { isUuid } from '../../../shared/data/uuid';
import { UserPickerComponent, type PickedUser } from './user-picker.component';

/**
 * A list's account filter, projected into its `<sah-filter-bar>` (with `[extraParams]="['userId']"`,
 * so that clearing covers it): a user picker bound to the `userId` query parameter. It shows the id
 * from the URL, or `selected` where the page knows the account better (the ledger looks it up).
 *
 * ```html
 * <sah-account-filter label="User" testId="payments-user-filter" />
 * ```
 */
@Component({
  selector: 'sah-account-filter',
  imports: [UserPickerComponent],
  host: { class: 'filter-bar__wide' },
  template: `
    <sah-user-picker [label]="label()" [testId]="testId()" [selected]="shown()" (picked)="pick($event)" />
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountFilterComponent {
  private readonly route = inject(ActivatedRoute);
  private readonly apply = applyToUrl(inject(Router), this.route);

  readonly label = input.required<string>();
  readonly testId = input.required<string>();
  /** The account as the page knows it; by default the id in the URL. */
  readonly selected = input<PickedUser | null | undefined>(undefined);
  /** A valid choice (or none), just before it is written to the URL. */
  readonly picked = output<PickedUser | null>();

  private readonly userId = toSignal(this.route.queryParamMap.pipe(map((params) => params.get('userId'))), {
    requireSync: true,
  });
  protected readonly shown = computed((): PickedUser | null => {
    const selected = this.selected();
    if (selected !== undefined) return selected;
    const id = this.userId();
    return id && isUuid(id) ? { id, email: null, name: null } : null;
  });

  protected pick(user: PickedUser | null): void {
    if (user && !isUuid(user.id)) return;
    this.picked.emit(user);
    this.apply({ userId: user?.id ?? null });
  }
}
