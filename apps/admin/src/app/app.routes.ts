import type { Routes } from '@angular/router';

import { authGuard } from './core/auth/auth.guard';

export const appRoutes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Smart AI Hub',
    loadComponent: () => import('./features/auth/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./layout/shell/shell.component').then((m) => m.ShellComponent),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        title: 'Dashboard · Smart AI Hub',
        loadComponent: () =>
          import('./features/dashboard/dashboard.component').then((m) => m.DashboardComponent),
      },
      {
        path: 'users',
        title: 'Users · Smart AI Hub',
        loadComponent: () =>
          import('./features/identity/users/users.component').then((m) => m.UsersComponent),
      },
      {
        path: 'credits',
        title: 'Credits · Smart AI Hub',
        loadComponent: () =>
          import('./features/billing/credits/credits.component').then((m) => m.CreditsComponent),
      },
      {
        path: 'ai',
        title: 'AI · Smart AI Hub',
        loadComponent: () =>
          import('./features/ai/ai-overview/ai-overview.component').then((m) => m.AiOverviewComponent),
      },
      {
        path: 'media-jobs',
        title: 'Media jobs · Smart AI Hub',
        loadComponent: () =>
          import('./features/media/media-jobs/media-jobs.component').then((m) => m.MediaJobsComponent),
      },
      {
        path: 'webhooks',
        title: 'Webhooks · Smart AI Hub',
        loadComponent: () =>
          import('./features/webhooks/webhook-endpoints/webhook-endpoints.component').then(
            (m) => m.WebhookEndpointsComponent,
          ),
      },
      {
        path: 'audit-log',
        title: 'Audit log · Smart AI Hub',
        loadComponent: () =>
          import('./features/identity/audit-log/audit-log.component').then((m) => m.AuditLogComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'dashboard' },
];
