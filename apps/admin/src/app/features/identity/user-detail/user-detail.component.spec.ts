import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import { componentPage } from '../../../shared/testing/component-page';
import { aTeam, aUser } from '../testing/identity-fixtures';
import { UserDetailComponent } from './user-detail.component';

describe('UserDetailComponent', () => {
  let fixture: ComponentFixture<UserDetailComponent>;
  let apollo: ApolloTestingController;

  const { el, overlay, settle } = componentPage(() => fixture);

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
  async function openSelect(testId: string): Promise<string[]> {
    (el(testId)?.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    return [...overlay().querySelectorAll('mat-option')].map((option) => option.textContent?.trim() ?? '');
  }

  const TEAMS = () => [
    aTeam({
      id: 't1',
      name: 'Operations',
      members: [{ userId: 'u2', role: 'manager', addedAt: '2026-02-01T00:00:00.000Z' }],
    }),
    aTeam({ id: 't2', name: 'Design', members: [{ userId: 'u7', role: 'member', addedAt: '2026-02-01T00:00:00.000Z' }] }),
    aTeam({ id: 't3', name: 'Research', members: [] }),
  ];

  it('lists the user’s teams and adds them to another with the chosen role', async () => {
    await open(['ADMIN']);
    (await vi.waitFor(() => apollo.expectOne('Teams'), { timeout: 5000 })).flushData({ teams: TEAMS() });
    await settle(() =>
      expect(
        [...fixture.nativeElement.querySelectorAll('[data-testid="user-team"]')].map(
          (row) => (row as HTMLElement).dataset['team'],
        ),
      ).toEqual(['t1']),
    );
    expect(el('user-team')?.textContent).toContain('Manager');
    expect((el('team-add') as HTMLButtonElement).disabled).toBe(true);

    // Only teams the user is not in yet are offered.
    expect(await openSelect('team-select')).toEqual(['Design', 'Research']);
    await choose('Research');
    await settle(() => expect(overlay().querySelectorAll('mat-option').length).toBe(0));
    expect(await openSelect('team-role-select')).toEqual(['Member', 'Manager']);
    await choose('Manager');
    (el('team-add') as HTMLButtonElement).click();

    const add = await vi.waitFor(() => apollo.expectOne('AddTeamMember'), { timeout: 5000 });
    expect(add.operation.variables).toEqual({ input: { teamId: 't3', userId: 'u2', role: 'manager' } });
    add.flushData({
      addTeamMember: aTeam({
        id: 't3',
        name: 'Research',
        members: [{ userId: 'u2', role: 'manager', addedAt: '2026-03-01T00:00:00.000Z' }],
      }),
    });

    const [ops, design] = TEAMS();
    (await vi.waitFor(() => apollo.expectOne('Teams'), { timeout: 5000 })).flushData({
      teams: [
        ops,
        design,
        aTeam({
          id: 't3',
          name: 'Research',
          members: [{ userId: 'u2', role: 'manager', addedAt: '2026-03-01T00:00:00.000Z' }],
        }),
      ],
    });
    await settle(() => expect(fixture.nativeElement.querySelectorAll('[data-testid="user-team"]').length).toBe(2));
    expect(overlay().textContent).toContain('Ann User added to Research.');
  });

  it('creates a new team by name', async () => {
    await open(['ADMIN']);
    (await vi.waitFor(() => apollo.expectOne('Teams'), { timeout: 5000 })).flushData({ teams: [] });
    await settle(() => expect(el('teams-empty')).not.toBeNull());

    const name = el('team-new-name') as HTMLInputElement;
    name.value = '  Support  ';
    name.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    (el('team-create') as HTMLButtonElement).click();

    const create = await vi.waitFor(() => apollo.expectOne('CreateTeam'), { timeout: 5000 });
    expect(create.operation.variables).toEqual({ input: { name: 'Support' } });
    create.flushData({ createTeam: aTeam({ id: 't9', name: 'Support' }) });
    (await vi.waitFor(() => apollo.expectOne('Teams'), { timeout: 5000 })).flushData({
      teams: [aTeam({ id: 't9', name: 'Support' })],
    });
    await settle(() => {
      expect(overlay().textContent).toContain('Team “Support” created.');
      expect(name.value).toBe('');
    });
  });

  it('shows the user’s credits card with their balance', async () => {
    await open(['ADMIN']);

    const balance = await vi.waitFor(() => apollo.expectOne('CreditBalance'));
    expect(balance.operation.variables).toEqual({ userId: 'u2' });
    balance.flushData({
      creditBalance: { __typename: 'CreditBalance', userId: 'u2', balance: 35, reserved: 0, available: 35 },
    });
    await settle(() => expect(el('user-credits-card')?.textContent).toContain('35'));
  });

  it('shows no teams section to callers without teams:manage', async () => {
    await open(['MANAGER'], aUser({ roles: ['GUEST'] }));

    apollo.expectNone('Teams');
    expect(el('teams-card')).toBeNull();
  });
});
