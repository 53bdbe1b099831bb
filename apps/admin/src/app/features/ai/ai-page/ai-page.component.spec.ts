import { provideHttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AI_ROUTES } from '../ai.routes';
import { signInAs } from '../testing/ai-fixtures';

describe('AI page', () => {
  let harness: RouterTestingHarness;

  const tabs = () =>
    [...harness.fixture.nativeElement.querySelectorAll('[data-testid="ai-tab-label"]')].map((label) =>
      (label as HTMLElement).textContent?.trim(),
    );
  const url = () => TestBed.inject(Router).url;

  async function openAs(roles: Role[], path: string): Promise<void> {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter(
          [
            { path: 'dashboard', children: [] },
            { path: 'ai', loadChildren: () => Promise.resolve(AI_ROUTES) },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
      ],
    });
    signInAs(roles);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(path);
    await harness.fixture.whenStable();
  }

  it('lands administrators on provider health, with a tab for every AI task', async () => {
    await openAs(['ADMIN'], '/ai');

    expect(url()).toBe('/ai/health');
    expect(tabs()).toEqual(['Providers', 'Provider keys', 'Channels', 'Models & prices', 'Media models', 'Usage', 'Playground']);
  });

  it('gives other roles their usage and the playground only', async () => {
    await openAs(['USER'], '/ai');

    expect(url()).toBe('/ai/usage');
    expect(tabs()).toEqual(['Usage', 'Playground']);
  });

  it('refuses the admin tabs to a manager typing their URL', async () => {
    await openAs(['MANAGER'], '/ai/keys');

    expect(url()).toBe('/dashboard');
  });

  it('refuses the media models and prices to a normal user typing their URL', async () => {
    await openAs(['USER'], '/ai/media-models');

    expect(url()).toBe('/dashboard');
  });
});
