import { inject } from '@angular/core';
import type { Routes } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { requirePermission } from '../../core/auth/permission.guard';
import { MEDIA_ACCESS } from '../media/media-access';
import { AI_ACCESS } from './ai-access';
import { AiPageComponent } from './ai-page/ai-page.component';

/** The AI section: one page with a tab per task; admins land on provider health, others on usage. */
export const AI_ROUTES: Routes = [
  {
    path: '',
    component: AiPageComponent,
    children: [
      {
        path: '',
        pathMatch: 'full',
        redirectTo: () => (inject(AuthStore).can(AI_ACCESS.manage) ? 'health' : 'usage'),
      },
      {
        path: 'health',
        title: 'AI providers · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.manage)],
        loadComponent: () =>
          import('./provider-health/provider-health.component').then((m) => m.ProviderHealthComponent),
      },
      {
        path: 'keys',
        title: 'AI provider keys · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.manage)],
        loadComponent: () => import('./provider-keys/provider-keys.component').then((m) => m.ProviderKeysComponent),
      },
      {
        path: 'channels',
        title: 'AI channels · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.manage)],
        loadComponent: () => import('./channels/channels.component').then((m) => m.ChannelsComponent),
      },
      {
        path: 'models',
        title: 'AI models and prices · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.manage)],
        loadComponent: () => import('./models/models.component').then((m) => m.ModelsComponent),
      },
      {
        // Image and video models, beside the chat models; the page belongs to the media feature.
        path: 'media-models',
        title: 'Media models and prices · Smart AI Hub',
        canActivate: [requirePermission(MEDIA_ACCESS.models)],
        loadComponent: () =>
          import('../media/media-models/media-models.component').then((m) => m.MediaModelsComponent),
      },
      {
        path: 'usage',
        title: 'AI usage · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.usage)],
        loadComponent: () => import('./usage/usage.component').then((m) => m.UsageComponent),
      },
      {
        path: 'playground',
        title: 'AI playground · Smart AI Hub',
        canActivate: [requirePermission(AI_ACCESS.playground)],
        loadComponent: () => import('./playground/playground.component').then((m) => m.PlaygroundComponent),
      },
    ],
  },
];
