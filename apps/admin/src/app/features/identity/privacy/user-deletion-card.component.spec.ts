import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { componentPage } from '../../../shared/testing/component-page';
import { UserDeletionCardComponent } from './user-deletion-card.component';

@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class UsersStubComponent {}

/** An admin's user page: the account deletion card, and erasing a pending deletion at once. */
describe('UserDeletionCardComponent', () => {
  let fixture: ComponentFixture<UserDeletionCardComponent>;
  let apollo: ApolloTestingController;

  const { el, overlay, settle } = componentPage(() => fixture);

  /** The card for user u-1, the server answering when the account is to be erased. */
  async function open(deletionScheduledFor: string | null, canManage = true): Promise<void> {
    fixture = TestBed.createComponent(UserDeletionCardComponent);
    fixture.componentRef.setInput('userId', 'u-1');
    fixture.componentRef.setInput('userName', 'Ada');
    fixture.componentRef.setInput('canManage', canManage);
    const query = await vi.waitFor(() => apollo.expectOne('UserDeletion'));
    expect(query.operation.variables).toEqual({ id: 'u-1' });
    query.flushData({ user: { __typename: 'User', id: 'u-1', deletionScheduledFor } });
    await settle(() => expect(el('user-deletion-status')).not.toBeNull());
  }

  async function eraseConfirmed(): Promise<void> {
    (el('user-deletion-process') as HTMLButtonElement).click();
    await settle(() => expect(overlay().querySelector('[data-testid="confirm-ok"]')).not.toBeNull());
    expect(overlay().textContent).toContain('Erase Ada’s account now?');
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();
  }

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'users', component: UsersStubComponent }])],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    apollo.verify();
  });

  it('says when an account that asked to be deleted is erased, and erases it now once confirmed, back to the users', async () => {
    await open('2026-04-01T12:00:00.000Z');
    expect(el('user-deletion-status')?.textContent).toContain('erased on Apr 1, 2026');
    expect(el('user-deletion-status')?.textContent).toContain('unless they sign in again');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate');

    await eraseConfirmed();
    const mutation = await vi.waitFor(() => apollo.expectOne('ProcessAccountDeletion'));
    expect(mutation.operation.variables).toEqual({ userId: 'u-1' });
    mutation.flushData({ processAccountDeletion: true });

    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/users']));
    await settle(() =>
      expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('Ada’s account is erased.'),
    );
  });

  it('erases nothing when the confirmation is cancelled', async () => {
    await open('2026-04-01T12:00:00.000Z');
    (el('user-deletion-process') as HTMLButtonElement).click();
    await settle(() => expect(overlay().querySelector('[data-testid="confirm-cancel"]')).not.toBeNull());
    (overlay().querySelector('[data-testid="confirm-cancel"]') as HTMLElement).click();
    await settle(() => expect(overlay().querySelector('[data-testid="confirm-ok"]')).toBeNull());
    apollo.expectNone('ProcessAccountDeletion');
  });

  it('waits for the answer, then shows the server’s refusal and keeps the button for another try', async () => {
    await open('2026-04-01T12:00:00.000Z');
    await eraseConfirmed();
    const mutation = await vi.waitFor(() => apollo.expectOne('ProcessAccountDeletion'));
    await settle(() => expect((el('user-deletion-process') as HTMLButtonElement).disabled).toBe(true));
    mutation.graphqlErrors([{ message: 'This account has no pending deletion', extensions: { code: 'CONFLICT' } }]);

    await settle(() =>
      expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('no pending deletion'),
    );
    expect((el('user-deletion-process') as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers no erasure without a pending deletion, nor for an account the admin may not change', async () => {
    await open(null);
    expect(el('user-deletion-status')?.textContent).toContain('No deletion asked for.');
    expect(el('user-deletion-process')).toBeNull();

    fixture.destroy();
    await open('2026-04-01T12:00:00.000Z', false);
    expect(el('user-deletion-status')?.textContent).toContain('erased on');
    expect(el('user-deletion-process')).toBeNull();
  });
});
