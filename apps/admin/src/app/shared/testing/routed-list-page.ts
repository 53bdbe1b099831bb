import { provideHttpClient } from '@angular/common/http';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { expect, vi } from 'vitest';

/** A list page under test: the router harness it is shown in, and Apollo's testing controller. */
export interface RoutedListPage {
  readonly harness: RouterTestingHarness;
  readonly apollo: ApolloTestingController;
}

/**
 * Before each test, routes `component` at `/<path>` as the app does (inputs bound from the query
 * string), with Apollo's testing controller and HttpClient, and hands both to `ready`.
 */
export function routeListPage(path: string, component: Type<unknown>, ready: (page: RoutedListPage) => void): void {
  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path, component }], withComponentInputBinding()), provideHttpClient()],
    });
    const apollo = TestBed.inject(ApolloTestingController);
    ready({ apollo, harness: await RouterTestingHarness.create() });
  });
}

/** As `routeListPage`, and opens `/<path>` before each test. */
export function openListPage(path: string, component: Type<unknown>, ready: (page: RoutedListPage) => void): void {
  let page: RoutedListPage;
  routeListPage(path, component, (routed) => {
    page = routed;
    ready(routed);
  });
  beforeEach(async () => {
    await page.harness.navigateByUrl(`/${path}`, component);
  });
}

/** Answers the page's query `operationName` with `data` once it is asked, and returns the variables it was asked with. */
export async function answerQuery(page: RoutedListPage, operationName: string, data: Record<string, unknown>): Promise<unknown> {
  const operation = await vi.waitFor(() => page.apollo.expectOne(operationName));
  operation.flushData(data);
  await page.harness.fixture.whenStable();
  return operation.operation.variables;
}

/**
 * Refuses the page's query `operationName` as the API refuses a caller without the right: the page
 * must say so in its error state, and its Retry asks again, which `answer` answers.
 */
export async function refuseThenRetry(page: RoutedListPage, operationName: string, answer: () => Promise<unknown>): Promise<void> {
  (await vi.waitFor(() => page.apollo.expectOne(operationName))).graphqlErrors([
    { message: 'You do not have permission to do that', extensions: { code: 'FORBIDDEN' } },
  ]);
  const byTestId = (id: string) =>
    (page.harness.routeNativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);
  await vi.waitFor(async () => {
    await page.harness.fixture.whenStable();
    expect(byTestId('error-state')?.textContent).toContain('You do not have permission');
  });
  byTestId('error-retry')?.click();
  await answer();
}
