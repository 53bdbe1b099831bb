import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AuthStore } from '../../../core/auth/auth.store';
import { AI_TABS } from './ai-tabs';

/** The AI section's frame: a tab per task the role may do, the task's page below. */
@Component({
  selector: 'sah-ai-page',
  imports: [MatIconModule, MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <h1 class="page-title">AI</h1>
    <nav mat-tab-nav-bar [tabPanel]="panel" class="ai-page__tabs" aria-label="AI sections">
      @for (tab of tabs(); track tab.path) {
        <a
          mat-tab-link
          [routerLink]="tab.path"
          routerLinkActive
          #link="routerLinkActive"
          [active]="link.isActive"
          data-testid="ai-tab"
          [attr.data-path]="tab.path"
        >
          <mat-icon class="ai-page__tab-icon" aria-hidden="true">{{ tab.icon }}</mat-icon>
          <span data-testid="ai-tab-label">{{ tab.label }}</span>
        </a>
      }
    </nav>
    <mat-tab-nav-panel #panel class="ai-page__panel">
      <router-outlet />
    </mat-tab-nav-panel>
  `,
  styles: `
    .ai-page__tabs {
      margin-bottom: 16px;
    }
    .ai-page__tab-icon {
      margin-right: 8px;
    }
    /* Decorative: below this width the seven tabs of an admin fit beside the menu only without them. */
    @media (max-width: 1439px) {
      .ai-page__tab-icon {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AiPageComponent {
  private readonly auth = inject(AuthStore);
  protected readonly tabs = computed(() => AI_TABS.filter((tab) => this.auth.can(tab.permission)));
}
