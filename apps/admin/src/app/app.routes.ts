import type { Routes } from '@angular/router';

import { authGuard } from './core/auth/auth.guard';
import { requirePermission } from './core/auth/permission.guard';
import { AI_ACCESS } from './features/ai/ai-access';
import { BILLING_ACCESS } from './features/billing/billing-access';
import { MEDIA_ACCESS } from './features/media/media-access';

export const appRoutes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Smart AI Hub',
    loadComponent: () => import('./features/auth/login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: 'forgot-password',
    title: 'Forgot password · Smart AI Hub',
    loadComponent: () =>
      import('./features/auth/forgot-password/forgot-password.component').then(
        (m) => m.ForgotPasswordComponent,
      ),
  },
  {
    // The reset e-mail links here: <APP_URL>/admin/reset-password?token=…
    path: 'reset-password',
    title: 'Choose a new password · Smart AI Hub',
    loadComponent: () =>
      import('./features/auth/reset-password/reset-password.component').then((m) => m.ResetPasswordComponent),
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
        canActivate: [requirePermission('users:manage')],
        loadComponent: () =>
          import('./features/identity/users/users.component').then((m) => m.UsersComponent),
      },
      {
        path: 'users/:id',
        title: 'User · Smart AI Hub',
        canActivate: [requirePermission('users:manage')],
        loadComponent: () =>
          import('./features/identity/user-detail/user-detail.component').then((m) => m.UserDetailComponent),
      },
      {
        path: 'teams',
        title: 'Teams · Smart AI Hub',
        loadComponent: () => import('./features/identity/teams/teams.component').then((m) => m.TeamsComponent),
      },
      {
        path: 'teams/:id',
        title: 'Team · Smart AI Hub',
        loadComponent: () =>
          import('./features/identity/teams/team-detail.component').then((m) => m.TeamDetailComponent),
      },
      {
        // The invitation e-mail links here: <APP_URL>/admin/invitations/accept?token=…
        path: 'invitations/accept',
        title: 'Team invitation · Smart AI Hub',
        loadComponent: () =>
          import('./features/identity/teams/accept-invitation.component').then((m) => m.AcceptInvitationComponent),
      },
      {
        path: 'account',
        title: 'My account · Smart AI Hub',
        loadComponent: () =>
          import('./features/identity/account/account.component').then((m) => m.AccountComponent),
      },
      {
        path: 'credits',
        title: 'Credits · Smart AI Hub',
        canActivate: [requirePermission(BILLING_ACCESS.ledger)],
        loadComponent: () =>
          import('./features/billing/credits/credits.component').then((m) => m.CreditsComponent),
      },
      {
        path: 'credits/bulk',
        title: 'Bulk adjust credits · Smart AI Hub',
        canActivate: [requirePermission(BILLING_ACCESS.bulkAdjust)],
        loadComponent: () =>
          import('./features/billing/bulk-adjust/bulk-adjust.component').then((m) => m.BulkAdjustComponent),
      },
      {
        path: 'promo-codes',
        title: 'Promo codes · Smart AI Hub',
        canActivate: [requirePermission(BILLING_ACCESS.promoCodes)],
        loadComponent: () =>
          import('./features/billing/promo-codes/promo-codes.component').then((m) => m.PromoCodesComponent),
      },
      {
        path: 'payments',
        title: 'Payments · Smart AI Hub',
        canActivate: [requirePermission(BILLING_ACCESS.payments)],
        loadComponent: () =>
          import('./features/billing/payments/payments.component').then((m) => m.PaymentsComponent),
      },
      {
        path: 'plans',
        title: 'Plans · Smart AI Hub',
        canActivate: [requirePermission(BILLING_ACCESS.plans)],
        loadComponent: () => import('./features/billing/plans/plans.component').then((m) => m.PlansComponent),
      },
      {
        // Tabs inside: provider health, keys and models (admins), usage and the playground (everyone).
        path: 'ai',
        title: 'AI · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.use)],
        loadChildren: () => import('./features/ai/ai.routes').then((m) => m.AI_ROUTES),
      },
      {
        path: 'media-jobs',
        title: 'Media jobs · Smart AI Hub',
        canActivate: [requirePermission(MEDIA_ACCESS.jobs)],
        loadComponent: () =>
          import('./features/media/media-jobs/media-jobs.component').then((m) => m.MediaJobsComponent),
      },
      {
        path: 'webhooks',
        title: 'Webhooks · Smart AI Hub',
        canActivate: [requirePermission('webhooks:manage')],
        loadComponent: () =>
          import('./features/webhooks/webhook-endpoints/webhook-endpoints.component').then(
            (m) => m.WebhookEndpointsComponent,
          ),
      },
      {
        path: 'failed-mails',
        title: 'Failed mails · Smart AI Hub',
        canActivate: [requirePermission('users:manage')],
        loadComponent: () =>
          import('./features/mail/failed-mails/failed-mails.component').then((m) => m.FailedMailsComponent),
      },
      {
        path: 'audit-log',
        title: 'Audit log · Smart AI Hub',
        canActivate: [requirePermission('audit:read')],
        loadComponent: () =>
          import('./features/identity/audit-log/audit-log.component').then((m) => m.AuditLogComponent),
      },
    ],
  },
  { path: '**', redirectTo: 'dashboard' },
];
