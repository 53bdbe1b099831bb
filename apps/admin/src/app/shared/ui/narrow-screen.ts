import { BreakpointObserver } from '@angular/cdk/layout';
import { inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { map } from 'rxjs';

/**
 * Whether the viewport is at most `maxWidth` pixels wide, for tables that drop or fold columns on
 * small screens. Call from an injection context (a component field initialiser).
 */
export function narrowScreen(maxWidth: number): Signal<boolean> {
  return toSignal(
    inject(BreakpointObserver)
      .observe(`(max-width: ${maxWidth}px)`)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
}
