import { provideHttpClient, withFetch } from '@angular/common/http';
import {
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { MAT_ICON_DEFAULT_OPTIONS } from '@angular/material/icon';
import { provideRouter, withComponentInputBinding } from '@angular/router';

import { appRoutes } from './app.routes';
import { provideRuntimeConfig } from './core/config/runtime-config';
import { provideGraphQL } from './core/graphql/apollo.providers';
import { ThemeService } from './core/theme/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideBrowserGlobalErrorListeners(),
    provideHttpClient(withFetch()),
    provideRuntimeConfig(),
    provideGraphQL(),
    provideRouter(appRoutes, withComponentInputBinding()),
    // Apply the saved theme before the first render, on every page including /login.
    provideAppInitializer(() => void inject(ThemeService)),
    // Icons come from the self-hosted material-symbols font (no Google Fonts under our CSP).
    { provide: MAT_ICON_DEFAULT_OPTIONS, useValue: { fontSet: 'material-symbols-outlined' } },
  ],
};
