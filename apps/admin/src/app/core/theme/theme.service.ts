import { DOCUMENT, inject, Injectable, signal } from '@angular/core';

export type ThemeMode = 'light' | 'dark';

const STORAGE_KEY = 'sah.theme';
const THEME_CLASSES: Record<ThemeMode, string> = { light: 'theme-light', dark: 'theme-dark' };

/**
 * Light/dark choice: the saved one, else the OS preference. It sets a class on <html> that
 * switches `color-scheme`, which the Material 3 theme (light-dark() tokens) follows.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly window = this.document.defaultView;

  private readonly current = signal<ThemeMode>(this.initialMode());
  readonly mode = this.current.asReadonly();

  constructor() {
    this.apply(this.current());
  }

  toggle(): void {
    const next: ThemeMode = this.current() === 'dark' ? 'light' : 'dark';
    this.window?.localStorage.setItem(STORAGE_KEY, next);
    this.current.set(next);
    this.apply(next);
  }

  private initialMode(): ThemeMode {
    const saved = this.window?.localStorage.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
    return this.window?.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  private apply(mode: ThemeMode): void {
    const { classList } = this.document.documentElement;
    classList.remove(...Object.values(THEME_CLASSES));
    classList.add(THEME_CLASSES[mode]);
  }
}
