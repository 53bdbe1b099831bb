import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { vi } from 'vitest';

/**
 * What a spec of a component under a `ComponentFixture` reads it with: its elements by `data-testid`,
 * the overlay (dialogs, menus, snack bars), and `settle`, which waits until the component is stable
 * and an assertion holds. `fixture` is read at each call, so the spec may create it in each test.
 */
export function componentPage(fixture: () => ComponentFixture<unknown>) {
  return {
    el: (id: string) => (fixture().nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`),
    overlay: () => TestBed.inject(OverlayContainer).getContainerElement(),
    settle: async (assertion: () => void): Promise<void> => {
      await vi.waitFor(async () => {
        await fixture().whenStable();
        assertion();
      });
    },
  };
}
