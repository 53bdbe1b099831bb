import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed } from '@angular/core/testing';
import type { RouterTestingHarness } from '@angular/router/testing';
import { vi } from 'vitest';

/**
 * What a spec of a routed page (a list page under `RouterTestingHarness`) reads it with: elements by
 * `data-testid`, the table's rows, the overlay and the elements of an open dialog or menu in it, and `settle`,
 * which waits until the page is stable and an assertion holds. `harness` is read at each call, so the
 * spec may create it in `beforeEach`.
 */
export function routedPage(harness: () => RouterTestingHarness, rowTestId: string) {
  const root = () => harness().routeNativeElement as HTMLElement;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();
  return {
    root,
    overlay,
    byTestId: (id: string) => root().querySelector<HTMLElement>(`[data-testid="${id}"]`),
    rows: () => [...root().querySelectorAll<HTMLElement>(`[data-testid="${rowTestId}"]`)],
    inDialog: <T extends HTMLElement = HTMLElement>(id: string) =>
      overlay().querySelector<T>(`[data-testid="${id}"]`) as T,
    settle: async (assertion: () => void): Promise<void> => {
      await vi.waitFor(async () => {
        await harness().fixture.whenStable();
        assertion();
      });
    },
  };
}

/** Types `value` into a text field as a user would: the field's `input` event tells its form. */
export function typeInto(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}
