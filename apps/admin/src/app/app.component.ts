import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { AuthSession } from './core/auth/auth-session.service';

@Component({
  selector: 'sah-root',
  imports: [RouterOutlet],
  template: '<router-outlet />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppComponent {
  constructor() {
    // Resume a session this tab still holds a refresh token for, on public pages too; the auth
    // guard of the first navigation shares the same request. Runs after config.json is loaded.
    void inject(AuthSession).ensureSignedIn();
  }
}
