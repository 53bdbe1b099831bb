import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.models';
import { AuthStore } from '../../../core/auth/auth.store';
import { aUser } from '../testing/identity-fixtures';
import { UserDetailComponent } from './user-detail.component';

describe('UserDetailComponent', () => {
  let fixture: ComponentFixture<UserDetailComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  async function open(callerRoles: Role[], target = aUser()): Promise<void> {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Me', roles: callerRoles, emailVerified: true },
    });
    fixture = TestBed.createComponent(UserDetailComponent);
    fixture.componentRef.setInput('id', target.id);
    const query = await vi.waitFor(() => apollo.expectOne('User'));
    expect(query.operation.variables).toEqual({ id: target.id });
    query.flushData({ user: target });
    await settle(() => expect(el('user-fields')?.textContent).toContain(target.email));
  }

  async function roleOptions(): Promise<string[]> {
    (el('role-select')?.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    return [...overlay().querySelectorAll('mat-option')].map((option) => option.textContent?.trim() ?? '');
  }

  async function choose(label: string): Promise<void> {
    const options = [...overlay().querySelectorAll<HTMLElement>('mat-option')];
    options.find((option) => option.textContent?.trim() === label)?.click();
    await fixture.whenStable();
  }

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([])],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  it('offers an ADMIN only the roles below ADMIN', async () => {
    await open(['ADMIN']);

    expect(await roleOptions()).toEqual(['Manager', 'User', 'Guest']);
  });

  it('offers a SUPER_ADMIN every role but their own', async () => {
    await open(['SUPER_ADMIN']);

    expect(await roleOptions()).toEqual(['Admin', 'Manager', 'User', 'Guest']);
  });

  it('assigns the chosen role and confirms it', async () => {
    await open(['ADMIN']);
    const save = el('role-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await roleOptions();
    await choose('Manager');
    expect(save.disabled).toBe(false);
    save.click();

    const mutation = await vi.waitFor(() => apollo.expectOne('AssignRole'));
    expect(mutation.operation.variables).toEqual({ input: { userId: 'u2', role: 'MANAGER' } });
    mutation.flushData({ assignRole: aUser({ roles: ['MANAGER'] }) });

    await settle(() => expect(el('user-role')?.textContent).toContain('Manager'));
    expect(overlay().textContent).toContain('Role changed: Ann User is now Manager.');
    expect(save.disabled).toBe(true);
  });

  it('shows the server’s message when the role change is refused', async () => {
    await open(['ADMIN']);
    await roleOptions();
    await choose('Guest');
    (el('role-save') as HTMLButtonElement).click();

    (await vi.waitFor(() => apollo.expectOne('AssignRole'))).graphqlErrors([
      { message: 'You can only assign roles below your own', extensions: { code: 'FORBIDDEN' } },
    ]);

    await settle(() => expect(el('role-error')?.textContent).toContain('You can only assign roles below your own'));
    expect(el('user-role')?.textContent).toContain('User');
  });

  it('suspends only after confirmation, then offers to reinstate', async () => {
    await open(['ADMIN']);
    const toggle = el('suspend-toggle') as HTMLButtonElement;
    expect(toggle.textContent).toContain('Suspend');

    toggle.click();
    await fixture.whenStable();
    (overlay().querySelector('[data-testid="confirm-cancel"]') as HTMLElement).click();
    await fixture.whenStable();
    apollo.expectNone('SetUserSuspended');

    toggle.click();
    await fixture.whenStable();
    expect(overlay().textContent).toContain('Suspend Ann User?');
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const mutation = await vi.waitFor(() => apollo.expectOne('SetUserSuspended'));
    expect(mutation.operation.variables).toEqual({ id: 'u2', suspended: true });
    mutation.flushData({ setUserSuspended: aUser({ status: 'suspended' }) });

    await settle(() => expect(toggle.textContent).toContain('Reinstate'));
    expect(el('user-status')?.textContent).toContain('Suspended');
  });

  it('is read-only for accounts at or above the caller’s role', async () => {
    await open(['ADMIN'], aUser({ id: 'u9', email: 'boss@example.com', roles: ['SUPER_ADMIN'] }));

    expect(el('user-readonly')?.textContent).toContain('Only accounts below your own role');
    expect((el('suspend-toggle') as HTMLButtonElement).disabled).toBe(true);
    expect((el('role-save') as HTMLButtonElement).disabled).toBe(true);
    expect(el('role-select')?.getAttribute('aria-disabled')).toBe('true');
  });
});
