import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { AuthSession } from '../../core/auth/auth-session.service';
import { AuthStore } from '../../core/auth/auth.store';
import { ROLE_LABELS } from '../../core/auth/roles';
import { ThemeService } from '../../core/theme/theme.service';
import { NAV_ITEMS } from './nav-items';

/** Width from which the navigation stays docked beside the content. */
const DESKTOP_QUERY = '(min-width: 960px)';

@Component({
  selector: 'sah-shell',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    MatTooltipModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.component.html',
  styleUrl: './shell.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShellComponent {
  private readonly session = inject(AuthSession);
  protected readonly theme = inject(ThemeService);
  private readonly auth = inject(AuthStore);
  protected readonly user = this.auth.user;
  protected readonly roleLabel = computed(() => {
    const role = this.auth.role();
    return role ? ROLE_LABELS[role] : null;
  });
  /** Sections the role cannot use are hidden, not shown and then refused. */
  protected readonly navItems = computed(() =>
    NAV_ITEMS.filter((item) => !item.permission || this.auth.can(item.permission)),
  );

  protected readonly isDesktop = toSignal(
    inject(BreakpointObserver)
      .observe(DESKTOP_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  /** Only meaningful on handsets; on desktop the drawer is always open. */
  private readonly handsetNavOpen = signal(false);
  protected readonly navOpen = computed(() => this.isDesktop() || this.handsetNavOpen());

  protected toggleNav(): void {
    this.handsetNavOpen.update((open) => !open);
  }

  protected closeHandsetNav(): void {
    this.handsetNavOpen.set(false);
  }

  protected signOut(): void {
    void this.session.signOut();
  }
}
