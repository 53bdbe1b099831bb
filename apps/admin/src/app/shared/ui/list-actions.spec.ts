import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of, Subject, throwError } from 'rxjs';

import { listActions } from './list-actions';

describe('listActions', () => {
  function setUp(confirmed = true) {
    const said: string[] = [];
    const asked: string[] = [];
    TestBed.configureTestingModule({
      providers: [
        { provide: MatSnackBar, useValue: { open: (message: string) => said.push(message) } },
        {
          provide: MatDialog,
          useValue: {
            open: (_component: unknown, config: { data: { title: string } }) => {
              asked.push(config.data.title);
              return { afterClosed: () => of(confirmed) };
            },
          },
        },
      ],
    });
    return { actions: TestBed.runInInjectionContext(() => listActions()), said, asked };
  }

  it('keeps the row busy until the answer, then says what was done and goes on', () => {
    const { actions, said } = setUp();
    const answer = new Subject<string>();
    const then: string[] = [];
    actions.run(
      { id: 'a' },
      { call: () => answer, done: (value) => `${value} done.`, then: (value) => then.push(value) },
    );
    expect([actions.isBusy({ id: 'a' }), actions.isBusy({ id: 'b' })]).toEqual([true, false]);

    answer.next('Deleting');
    expect(actions.isBusy({ id: 'a' })).toBe(false);
    expect(said).toEqual(['Deleting done.']);
    expect(then).toEqual(['Deleting']);
  });

  it('asks first when told to, and calls only once confirmed', () => {
    const confirm = { title: 'Delete?', message: 'Sure?', confirmLabel: 'Delete' };
    let calls = 0;
    const call = () => {
      calls++;
      return of(true);
    };
    const refused = setUp(false);
    refused.actions.run({ id: 'a' }, { confirm, call });
    expect([refused.asked, calls]).toEqual([['Delete?'], 0]);

    TestBed.resetTestingModule();
    const agreed = setUp(true);
    agreed.actions.run({ id: 'a' }, { confirm, call });
    expect([agreed.asked, calls]).toEqual([['Delete?'], 1]);
  });

  it('says why a call failed and frees the row', () => {
    const { actions, said } = setUp();
    let failed = false;
    actions.run(
      { id: 'a' },
      { call: () => throwError(() => new Error('boom')), done: () => 'never', failed: () => (failed = true) },
    );
    expect(actions.isBusy({ id: 'a' })).toBe(false);
    expect(said).toHaveLength(1);
    expect(said[0]).not.toBe('never');
    expect(failed).toBe(true);
  });

  it('makes a row button that runs the row’s call and is disabled while that row is busy', () => {
    const { actions, said } = setUp();
    const answer = new Subject<string>();
    const button = actions.button<{ id: string; name: string }, string>(
      { label: 'Delete', testId: 'delete' },
      (row) => ({ call: () => answer, done: () => `${row.name} deleted.` }),
    );
    const [a, b] = [
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B' },
    ];
    expect([button.label, button.testId, button.disabled?.(a)]).toEqual(['Delete', 'delete', false]);

    button.run(a);
    expect([button.disabled?.(a), button.disabled?.(b)]).toEqual([true, false]);
    answer.next('ok');
    expect(button.disabled?.(a)).toBe(false);
    expect(said).toEqual(['A deleted.']);
  });

  it('makes an irreversible button that names the row, warns first and says what it did to it', () => {
    const { actions, said, asked } = setUp();
    const reloaded: string[] = [];
    const button = actions.irreversible<{ id: string; name: string }, boolean>({
      label: 'Deactivate',
      name: (row) => row.name,
      testId: 'deactivate',
      shown: (row) => row.id !== 'free',
      warning: (row) => `${row.name} is no longer offered.`,
      call: () => of(true),
      done: (_done, row) => `${row.name} is deactivated.`,
      then: (_done, row) => reloaded.push(row.id),
    });
    const gold = { id: 'gold', name: 'Gold' };
    expect([
      button.destructive,
      button.ariaLabel?.(gold),
      button.shown?.({ id: 'free', name: 'Free' }),
    ]).toEqual([true, 'Deactivate Gold', false]);

    button.run(gold);
    expect(asked).toEqual(['Deactivate Gold?']);
    expect(said).toEqual(['Gold is deactivated.']);
    expect(reloaded).toEqual(['gold']);
  });

  it('says what a dialog did and goes on only when it closes with a result, not on Cancel', () => {
    const { actions, said } = setUp();
    const saved: string[] = [];
    for (const closedWith of ['Ada', undefined, '', false] as const) {
      actions.afterDialog(
        () => of(closedWith),
        (name) => `${name} saved.`,
        (name) => saved.push(name),
      );
    }
    expect(said).toEqual(['Ada saved.']);
    expect(saved).toEqual(['Ada']);
  });
});
