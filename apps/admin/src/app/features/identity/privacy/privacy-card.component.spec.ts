import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { RuntimeConfigStore } from '../../../core/config/runtime-config';
import type { DataExport } from '../data-access/data-export.api';
import { EXPORT_POLL_MS, PrivacyCardComponent } from './privacy-card.component';

/** Server-shaped (with __typename, which Apollo's cache needs to match the fragment). */
const anExport = (overrides: Partial<DataExport> = {}): DataExport & { __typename: 'DataExport' } => ({
  __typename: 'DataExport',
  id: 'export-1',
  status: 'PENDING',
  requestedAt: '2026-03-01T12:00:00.000Z',
  finishedAt: null,
  expiresAt: null,
  downloadUrl: null,
  ...overrides,
});

const READY = anExport({
  status: 'READY',
  finishedAt: '2026-03-01T12:01:00.000Z',
  expiresAt: '2026-03-08T12:01:00.000Z',
  downloadUrl: 'http://api.test/api/v1/me/export',
});

describe('PrivacyCardComponent', () => {
  let fixture: ComponentFixture<PrivacyCardComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const button = (id: string) => el(id) as HTMLButtonElement | null;
  const status = () => el('data-export-status')?.textContent ?? '';

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  async function answerLatest(latest: DataExport | null): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('MyDataExport'))).flushData({ myDataExport: latest });
  }

  /** The poll's timer (RxJS schedules on setInterval); Angular's own scheduling stays real. */
  const nextPoll = () => vi.advanceTimersByTimeAsync(EXPORT_POLL_MS);

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: RuntimeConfigStore,
          useValue: { config: { graphqlUrl: 'http://api.test/graphql', graphqlWsUrl: 'ws://api.test/graphql' } },
        },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Me', roles: ['USER'], emailVerified: true },
    });
    fixture = TestBed.createComponent(PrivacyCardComponent);
  });

  afterEach(() => {
    apollo.verify();
    vi.useRealTimers();
  });

  it('asks for an export and shows it being prepared in a live region', async () => {
    await answerLatest(null);
    await settle(() => expect(status()).toContain('not asked for an export'));
    expect(el('data-export-status')?.getAttribute('aria-live')).toBe('polite');
    expect(el('data-export-download')).toBeNull();

    button('data-export-request')?.click();
    (await vi.waitFor(() => apollo.expectOne('ExportMyData'))).flushData({ exportMyData: anExport() });

    await settle(() => expect(status()).toContain('Preparing your export'));
    expect(button('data-export-request')?.disabled).toBe(true);
    expect(button('data-export-request')?.querySelector('mat-progress-spinner')?.getAttribute('aria-label')).toBe(
      'Preparing',
    );
    await nextPoll();
    await answerLatest(anExport());
  });

  it('checks on a prepared export until it is ready, then stops and offers the download', async () => {
    await answerLatest(anExport());
    await settle(() => expect(status()).toContain('Preparing your export'));

    await nextPoll();
    await answerLatest(anExport());
    await nextPoll();
    await answerLatest(READY);
    await settle(() => expect(status()).toContain('ready. You can download it until'));
    expect(status()).toContain('2026');
    expect(el('data-export-download')).not.toBeNull();
    expect(button('data-export-request')?.disabled).toBe(false);

    await nextPoll();
    await nextPoll();
    apollo.expectNone('MyDataExport');
  });

  it('stops checking when the card goes away', async () => {
    await answerLatest(anExport());
    await settle(() => expect(status()).toContain('Preparing your export'));

    fixture.destroy();
    await nextPoll();
    apollo.expectNone('MyDataExport');
  });

  it('downloads the ready export with the bearer token and saves it as a file', async () => {
    // jsdom has no object URLs and cannot download: both are stood in for.
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:export'), revokeObjectURL: vi.fn() });
    const downloads: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(`${this.href} ${this.download}`);
    });
    try {
      await answerLatest(READY);
      await settle(() => expect(el('data-export-download')).not.toBeNull());

      button('data-export-download')?.click();
      const request = TestBed.inject(HttpTestingController).expectOne('http://api.test/api/v1/me/export');
      expect(request.request.method).toBe('GET');
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
      request.flush(new Blob(['{"profile":{}}'], { type: 'application/json' }), {
        headers: { 'Content-Disposition': 'attachment; filename="smart-ai-hub-export-2026-03-01.json"' },
      });

      await vi.waitFor(() => expect(downloads).toEqual(['blob:export smart-ai-hub-export-2026-03-01.json']));
    } finally {
      click.mockRestore();
      delete (URL as { createObjectURL?: unknown }).createObjectURL;
      delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
    }
  });

  it('says when an export failed, and shows why asking for a new one was refused', async () => {
    await answerLatest(anExport({ status: 'FAILED', finishedAt: '2026-03-01T12:05:00.000Z' }));
    await settle(() => expect(status()).toContain('could not be prepared'));
    expect(el('data-export-download')).toBeNull();

    button('data-export-request')?.click();
    (await vi.waitFor(() => apollo.expectOne('ExportMyData'))).graphqlErrors([
      { message: 'Too many requests, try again later', extensions: { code: 'RATE_LIMITED' } },
    ]);
    await settle(() => expect(el('data-export-error')?.textContent).toContain('Too many requests'));
    expect(el('data-export-error')?.getAttribute('role')).toBe('alert');
    expect(button('data-export-request')?.disabled).toBe(false);
  });

  it('tells an expired export apart from a ready one', async () => {
    await answerLatest(anExport({ ...READY, downloadUrl: null, expiresAt: '2026-03-08T12:01:00.000Z' }));
    await settle(() => expect(status()).toContain('expired on'));
    expect(el('data-export-download')).toBeNull();
  });
});
