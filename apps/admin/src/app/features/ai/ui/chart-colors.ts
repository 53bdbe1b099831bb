/** The theme's colours for a chart, which draws on a canvas and so cannot use CSS variables itself. */
export interface ChartColors {
  readonly primary: string;
  readonly secondary: string;
  readonly text: string;
  readonly grid: string;
}

/** Used where styles are not computed (unit tests) and as a last resort. */
export const FALLBACK_CHART_COLORS: ChartColors = {
  primary: 'rgb(0, 95, 175)',
  secondary: 'rgb(121, 80, 190)',
  text: 'rgb(68, 71, 78)',
  grid: 'rgba(128, 128, 128, 0.2)',
};

const TOKENS: Readonly<Record<keyof ChartColors, string>> = {
  primary: '--mat-sys-primary',
  secondary: '--mat-sys-tertiary',
  text: '--mat-sys-on-surface-variant',
  grid: '--mat-sys-outline-variant',
};

/**
 * Resolves the Material tokens as the page shows them now. Tokens are `light-dark()` values, which
 * only a real element's computed colour resolves: a hidden probe inside `host` borrows them.
 */
export function readChartColors(host: HTMLElement): ChartColors {
  const view = host.ownerDocument.defaultView;
  if (!view) return FALLBACK_CHART_COLORS;
  const probe = host.ownerDocument.createElement('span');
  probe.style.display = 'none';
  host.appendChild(probe);
  try {
    const read = (key: keyof ChartColors): string => {
      probe.style.color = `var(${TOKENS[key]})`;
      const color = view.getComputedStyle(probe).color;
      return color && !color.includes('var(') ? color : FALLBACK_CHART_COLORS[key];
    };
    return { primary: read('primary'), secondary: read('secondary'), text: read('text'), grid: read('grid') };
  } finally {
    probe.remove();
  }
}
