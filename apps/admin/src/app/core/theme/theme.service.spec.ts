import { TestBed } from '@angular/core/testing';

import { ThemeService } from './theme.service';

describe('ThemeService', () => {
  const view = document.defaultView as Window;
  const root = document.documentElement;

  function osPrefers(scheme: 'light' | 'dark'): void {
    Object.defineProperty(view, 'matchMedia', {
      configurable: true,
      writable: true,
      value: (query: string) =>
        ({
          matches: query === '(prefers-color-scheme: dark)' && scheme === 'dark',
          media: query,
        }) as MediaQueryList,
    });
  }

  beforeEach(() => {
    localStorage.clear();
    root.className = '';
  });

  afterEach(() => {
    delete (view as Partial<Window>).matchMedia;
  });

  it('starts dark when the OS prefers dark and nothing is saved', () => {
    osPrefers('dark');
    const theme = TestBed.inject(ThemeService);

    expect(theme.mode()).toBe('dark');
    expect(root.classList.contains('theme-dark')).toBe(true);
  });

  it('starts light when the OS prefers light and nothing is saved', () => {
    osPrefers('light');
    const theme = TestBed.inject(ThemeService);

    expect(theme.mode()).toBe('light');
    expect(root.classList.contains('theme-light')).toBe(true);
  });

  it('prefers the saved choice over the OS preference', () => {
    osPrefers('dark');
    localStorage.setItem('sah.theme', 'light');

    expect(TestBed.inject(ThemeService).mode()).toBe('light');
  });

  it('toggle switches the <html> class and persists the choice for the next visit', () => {
    osPrefers('light');
    TestBed.inject(ThemeService).toggle();

    expect(root.classList.contains('theme-dark')).toBe(true);
    expect(root.classList.contains('theme-light')).toBe(false);
    expect(localStorage.getItem('sah.theme')).toBe('dark');

    TestBed.resetTestingModule();
    root.className = '';
    expect(TestBed.inject(ThemeService).mode()).toBe('dark');
    expect(root.classList.contains('theme-dark')).toBe(true);
  });
});
