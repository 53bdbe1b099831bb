import { DOCUMENT, inject, Injectable } from '@angular/core';

/** Leaving the console for another site (Stripe Checkout); a seam that tests replace. */
@Injectable({ providedIn: 'root' })
export class ExternalNavigation {
  private readonly document = inject(DOCUMENT);

  go(url: string): void {
    this.document.defaultView?.location.assign(url);
  }

  /** An absolute URL of a console page, e.g. "account?checkout=success" → https://host/admin/account?… */
  consoleUrl(path: string): string {
    return new URL(path, this.document.baseURI).href;
  }
}
