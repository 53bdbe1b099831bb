import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { openListPage } from '../../../shared/testing/routed-list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import type { FailedMail } from '../data-access/mail.api';
import { FailedMailsComponent } from './failed-mails.component';

const aFailedMail = (overrides: Partial<FailedMail> = {}): FailedMail => ({
  id: 'mail-41-identity.verification-code',
  kind: 'identity.verification-code',
  userId: '6f1c2d3e-0000-4000-8000-000000000001',
  recipient: 'ada@example.com',
  attempts: 8,
  error: 'Greeting never received',
  queuedAt: '2026-03-01T10:00:00.000Z',
  failedAt: '2026-03-01T10:21:00.000Z',
  ...overrides,
});

describe('FailedMailsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  openListPage('failed-mails', FailedMailsComponent, (page) => ({ harness, apollo } = page));

  const { byTestId, rows, settle } = routedPage(() => harness, 'failed-mail-row');

  /** Answers the list query and waits until the table (or its empty line) shows the answer. */
  async function answerList(mails: FailedMail[]): Promise<void> {
    const operation = await vi.waitFor(() => apollo.expectOne('FailedMails'));
    operation.flushData({ failedMails: mails.map((mail) => ({ __typename: 'FailedMail', ...mail })) });
    await settle(() => {
      expect(byTestId('failed-mails-table')).not.toBeNull();
      expect(rows()).toHaveLength(mails.length);
    });
  }

  afterEach(() => apollo.verify());

  it('lists failed mails with recipient, attempts and the last error', async () => {
    await answerList([aFailedMail(), aFailedMail({ id: 'mail-42-identity.role-changed', kind: 'identity.role-changed', recipient: null })]);

    expect(rows()).toHaveLength(2);
    expect(rows()[0].textContent).toContain('identity.verification-code');
    expect(rows()[0].textContent).toContain('ada@example.com');
    expect(rows()[0].textContent).toContain('Greeting never received');
    expect(rows()[1].textContent).toContain('deleted user');
  });

  it('says so when nothing failed', async () => {
    await answerList([]);

    expect(byTestId('failed-mails-empty')?.textContent).toContain('No failed mails');
  });

  it('sends a mail again and reloads the list without it', async () => {
    await answerList([aFailedMail()]);

    (rows()[0].querySelector('[data-testid="failed-mail-retry"]') as HTMLButtonElement).click();
    const retry = await vi.waitFor(() => apollo.expectOne('RetryFailedMail'));
    expect(retry.operation.variables).toEqual({ id: 'mail-41-identity.verification-code' });
    retry.flushData({ retryFailedMail: { __typename: 'FailedMail', ...aFailedMail() } });

    await answerList([]);
    expect(rows()).toHaveLength(0);
  });

  it('shows the error and reloads when the retry is refused', async () => {
    await answerList([aFailedMail()]);

    (rows()[0].querySelector('[data-testid="failed-mail-retry"]') as HTMLButtonElement).click();
    const retry = await vi.waitFor(() => apollo.expectOne('RetryFailedMail'));
    retry.flush({ errors: [{ message: 'FailedMail not found', extensions: { code: 'NOT_FOUND' } }] });

    await answerList([]);
    await vi.waitFor(() => expect(document.querySelector('mat-snack-bar-container')?.textContent).toContain('not found'));
  });
});
