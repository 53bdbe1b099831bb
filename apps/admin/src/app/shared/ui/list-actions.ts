import { inject, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, type Observable } from 'rxjs';

import { toAppError } from '../../core/graphql/graphql-errors';
import { confirmAction, type ConfirmDialogData } from './confirm-dialog/confirm-dialog.component';
import type { TableAction, TableColumn } from './table-panel/table-columns';

/** A row's call to the server (delete, deactivate, send again…), as `ListActions.run` takes it. */
export interface RowCall<T> {
  /** Asked first; the call is made only once confirmed. */
  readonly confirm?: ConfirmDialogData;
  readonly call: () => Observable<T>;
  /** What a snack bar says once it is done. */
  readonly done?: (value: T) => string;
  /** Then, once done (reload the list, show a new secret…). */
  readonly then?: (value: T) => void;
  /** After a failure, which a snack bar has said (put a toggle back, reload the list…). */
  readonly failed?: () => void;
}

/** A row's button whose call cannot be undone (deactivate, delete), as `ListActions.irreversible` takes it. */
export interface IrreversibleAction<Row, T> {
  /** The verb: the button's text and the confirm button's. */
  readonly label: string;
  readonly icon?: string;
  /** The row as the button's accessible name and the question name it: "<label> <name>". */
  readonly name: (row: Row) => string;
  readonly testId: string;
  readonly shown?: (row: Row) => boolean;
  /** What it does, asked before the call; "This cannot be undone." follows. */
  readonly warning: (row: Row) => string;
  readonly call: (row: Row) => Observable<T>;
  /** As `RowCall`'s, with the row the call was made for. */
  readonly done: (value: T, row: Row) => string;
  readonly then?: (value: T, row: Row) => void;
}

/**
 * What a list page's user starts: calls for one row, during which the row waits (`isBusy`, for its
 * buttons' `disabled`) and after which a snack bar says what was done or why it failed; the page's
 * dialogs (`afterDialog`), and the snack bar itself (`say`). Call from an injection context.
 */
export interface ListActions {
  isBusy(row: { readonly id: string }): boolean;
  run<T>(row: { readonly id: string }, action: RowCall<T>): void;
  /** A row's button (`actionsColumn`) that makes the row's call, disabled while the row is busy. */
  button<Row extends { readonly id: string }, T>(
    button: Omit<TableAction<Row>, 'run' | 'disabled'>,
    call: (row: Row) => RowCall<T>,
  ): TableAction<Row>;
  /** A destructive `button` that asks "<label> <name>?" first, warning that it cannot be undone. */
  irreversible<Row extends { readonly id: string }, T>(action: IrreversibleAction<Row, T>): TableAction<Row>;
  /**
   * Opens one of the page's dialogs with `open`; once it closes with a result, a snack bar says
   * `done` of it and `then` runs (reload the list). Cancel, Esc and the backdrop close with none
   * (undefined, or `mat-dialog-close`'s '' and false).
   */
  afterDialog<R>(
    open: (dialog: MatDialog) => Observable<R | undefined | false | ''>,
    done: (result: R) => string,
    then: (result: R) => void,
  ): void;
  say(message: string): void;
  /**
   * An `enabled` column of switches, one per row, named with `name(row)`: moving one makes the row's
   * `call` with the new state, and puts the switch back if that fails.
   */
  enabledSwitch<Row extends { readonly id: string; readonly enabled: boolean }, T>(
    name: (row: Row) => string,
    testId: string,
    call: (row: Row, enabled: boolean) => RowCall<T>,
  ): TableColumn<Row>;
}

export function listActions(): ListActions {
  const snackBar = inject(MatSnackBar);
  const dialog = inject(MatDialog);
  const busy = signal<string | null>(null);
  const say = (message: string): void => void snackBar.open(message, 'OK', { duration: 5000 });
  const call = <T>(id: string, action: RowCall<T>): void => {
    busy.set(id);
    action.call().subscribe({
      next: (value) => {
        busy.set(null);
        if (action.done) say(action.done(value));
        action.then?.(value);
      },
      error: (error: unknown) => {
        busy.set(null);
        snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        action.failed?.();
      },
    });
  };
  const isBusy = (row: { readonly id: string }): boolean => busy() === row.id;
  const run = <T>(row: { readonly id: string }, action: RowCall<T>): void => {
    if (!action.confirm) return call(row.id, action);
    confirmAction(dialog, action.confirm)
      .pipe(filter(Boolean))
      .subscribe(() => call(row.id, action));
  };
  const afterDialog = <R>(
    open: (dialog: MatDialog) => Observable<R | undefined | false | ''>,
    done: (result: R) => string,
    then: (result: R) => void,
  ): void => {
    open(dialog)
      .pipe(filter((result): result is R => result !== undefined && result !== false && result !== ''))
      .subscribe((result) => {
        say(done(result));
        then(result);
      });
  };
  const button = <Row extends { readonly id: string }, T>(
    action: Omit<TableAction<Row>, 'run' | 'disabled'>,
    rowCall: (row: Row) => RowCall<T>,
  ): TableAction<Row> => ({ ...action, disabled: isBusy, run: (row) => run(row, rowCall(row)) });
  const irreversible = <Row extends { readonly id: string }, T>({
    label,
    icon,
    name,
    testId,
    shown,
    warning,
    call: request,
    done,
    then,
  }: IrreversibleAction<Row, T>): TableAction<Row> =>
    button(
      { label, icon, testId, shown, destructive: true, ariaLabel: (row) => `${label} ${name(row)}` },
      (row: Row) => ({
        confirm: {
          title: `${label} ${name(row)}?`,
          message: `${warning(row)} This cannot be undone.`,
          confirmLabel: label,
          destructive: true,
        },
        call: () => request(row),
        done: (value) => done(value, row),
        then: (value) => then?.(value, row),
      }),
    );
  const enabledSwitch = <Row extends { readonly id: string; readonly enabled: boolean }, T>(
    name: (row: Row) => string,
    testId: string,
    rowCall: (row: Row, enabled: boolean) => RowCall<T>,
  ): TableColumn<Row> => ({
    key: 'enabled',
    header: 'Enabled',
    toggle: {
      checked: (row) => row.enabled,
      ariaLabel: (row) => `${row.enabled ? 'Disable' : 'Enable'} ${name(row)}`,
      testId,
      disabled: isBusy,
      change: (row, enabled, revert) => {
        const action = rowCall(row, enabled);
        run(row, {
          ...action,
          failed: () => {
            revert();
            action.failed?.();
          },
        });
      },
    },
  });
  return { isBusy, say, run, afterDialog, button, irreversible, enabledSwitch };
}
