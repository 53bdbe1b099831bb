import { ChangeDetectionStrategy, Component, effect, inject, input, output, untracked } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatAutocompleteModule, type MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { catchError, debounceTime, distinctUntilChanged, filter, map, of, switchMap } from 'rxjs';

import { SEARCH_DEBOUNCE_MS } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import { IdentityApi } from '../../identity/data-access/identity.api';
import type { IdentityUser } from '../../identity/data-access/identity.types';

/** A chosen account; a pasted id is taken as is, so its e-mail and name may be unknown. */
export interface PickedUser {
  readonly id: string;
  readonly email: string | null;
  readonly name: string | null;
}

const SUGGESTIONS = 8;

export function describeUser(user: PickedUser | null): string {
  return user ? (user.email ?? user.id) : '';
}

/**
 * Finds an account by name or e-mail (the `users` search, so managers see their teams' accounts),
 * or takes a pasted user id. Emits the choice, and null when the field is cleared.
 */
@Component({
  selector: 'sah-user-picker',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
  ],
  template: `
    <mat-form-field appearance="outline" subscriptSizing="dynamic" class="user-picker">
      <mat-label>{{ label() }}</mat-label>
      <mat-icon matPrefix aria-hidden="true">person_search</mat-icon>
      <input
        matInput
        type="search"
        [formControl]="control"
        [matAutocomplete]="suggestions"
        maxlength="100"
        placeholder="Name, e-mail or user ID"
        autocomplete="off"
        [attr.data-testid]="testId()"
      />
      <mat-autocomplete #suggestions="matAutocomplete" [displayWith]="display" (optionSelected)="choose($event)">
        @for (user of options(); track user.id) {
          <mat-option [value]="user" [attr.data-email]="user.email" data-testid="user-picker-option">
            <span>{{ user.name }}</span>
            <span class="user-picker__email">{{ user.email }}</span>
          </mat-option>
        }
      </mat-autocomplete>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    .user-picker {
      width: 100%;
    }
    .user-picker__email {
      margin-left: 8px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserPickerComponent {
  private readonly identity = inject(IdentityApi);

  readonly label = input('User');
  /** The current choice, shown in the field (e.g. restored from the URL). */
  readonly selected = input<PickedUser | null>(null);
  readonly testId = input('user-picker');
  readonly picked = output<PickedUser | null>();

  protected readonly control = new FormControl<string | PickedUser>('', { nonNullable: true });
  protected readonly display = (value: string | PickedUser | null) =>
    typeof value === 'string' ? value : describeUser(value);

  private readonly typed = this.control.valueChanges.pipe(
    filter((value): value is string => typeof value === 'string'),
    map((value) => value.trim()),
  );

  protected readonly options = toSignal(
    this.typed.pipe(
      debounceTime(SEARCH_DEBOUNCE_MS),
      distinctUntilChanged(),
      switchMap((search) =>
        search.length < 2 || isUuid(search)
          ? of<IdentityUser[]>([])
          : this.identity.users({ search, perPage: SUGGESTIONS }).pipe(
              map((page) => [...page.items]),
              // Suggestions are a convenience: a failed search leaves the field usable for ids.
              catchError(() => of<IdentityUser[]>([])),
            ),
      ),
    ),
    { initialValue: [] },
  );

  constructor() {
    this.typed.pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed()).subscribe((text) => {
      if (text === '') this.picked.emit(null);
      else if (isUuid(text)) this.picked.emit({ id: text.toLowerCase(), email: null, name: null });
    });

    effect(() => {
      const user = this.selected();
      untracked(() => {
        if ((user?.id ?? null) !== this.shownId()) this.control.setValue(user ?? '', { emitEvent: false });
        // The same account, now known by more than its pasted id: show its e-mail.
        else if (user?.email && typeof this.control.value === 'string') this.control.setValue(user, { emitEvent: false });
      });
    });
  }

  /** The account the field stands for now: a chosen user, a typed id, or none (a search in progress). */
  private shownId(): string | null {
    const value = this.control.value;
    if (typeof value !== 'string') return value.id;
    const text = value.trim();
    return isUuid(text) ? text.toLowerCase() : null;
  }

  protected choose(event: MatAutocompleteSelectedEvent): void {
    const user = event.option.value as IdentityUser;
    this.picked.emit({ id: user.id, email: user.email, name: user.name });
  }
}
