import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** One bar group: a label (a day) and a value per series. */
export interface ChartPoint {
  readonly label: string;
  readonly values: readonly number[];
}

export interface ChartSeries {
  readonly name: string;
  /** A CSS colour (a theme variable). */
  readonly color: string;
}

const WIDTH = 300;
const HEIGHT = 100;

/**
 * A small grouped bar chart in plain SVG (no chart library: two charts do not earn one). The SVG
 * is an image with a short name; the figures themselves are in a visually hidden table for
 * screen readers.
 */
@Component({
  selector: 'sah-bar-chart',
  template: `
    <figure class="chart">
      <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" preserveAspectRatio="none" role="img" [attr.aria-label]="title()">
        @for (bar of bars(); track bar.key) {
          <rect [attr.x]="bar.x" [attr.y]="bar.y" [attr.width]="bar.width" [attr.height]="bar.height" [attr.fill]="bar.color" />
        }
        <line x1="0" [attr.y1]="height" [attr.x2]="width" [attr.y2]="height" class="chart__axis" />
      </svg>
      <figcaption class="chart__legend">
        @for (s of series(); track s.name) {
          <span><i [style.background]="s.color" aria-hidden="true"></i>{{ s.name }}</span>
        }
        <span class="chart__range">{{ points()[0]?.label }} – {{ points()[points().length - 1]?.label }}</span>
      </figcaption>
      <table class="chart__table">
        <caption>{{ title() }}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            @for (s of series(); track s.name) {
              <th scope="col">{{ s.name }}</th>
            }
          </tr>
        </thead>
        <tbody>
          @for (p of points(); track p.label) {
            <tr>
              <th scope="row">{{ p.label }}</th>
              @for (v of p.values; track $index) {
                <td>{{ v }}</td>
              }
            </tr>
          }
        </tbody>
      </table>
    </figure>
  `,
  styles: `
    .chart {
      margin: 8px 0 0;
    }
    svg {
      display: block;
      width: 100%;
      height: 96px;
    }
    .chart__axis {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 1;
    }
    .chart__legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      margin-top: 4px;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .chart__legend i {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 4px;
      border-radius: 2px;
    }
    .chart__range {
      margin-left: auto;
    }
    .chart__table {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      clip-path: inset(50%);
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BarChartComponent {
  readonly title = input.required<string>();
  readonly series = input.required<readonly ChartSeries[]>();
  readonly points = input.required<readonly ChartPoint[]>();

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;

  protected readonly bars = computed(() => {
    const points = this.points();
    const count = this.series().length;
    const max = Math.max(1, ...points.flatMap((p) => p.values));
    const slot = WIDTH / Math.max(1, points.length);
    const barWidth = (slot * 0.8) / Math.max(1, count);
    return points.flatMap((point, i) =>
      point.values.map((value, s) => {
        const height = (Math.max(0, value) / max) * (HEIGHT - 4);
        return {
          key: `${point.label}-${s}`,
          x: i * slot + slot * 0.1 + s * barWidth,
          y: HEIGHT - height,
          width: barWidth,
          height,
          color: this.series()[s]?.color ?? 'currentColor',
        };
      }),
    );
  });
}
