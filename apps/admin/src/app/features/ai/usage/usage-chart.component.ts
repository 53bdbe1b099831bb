import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { BaseChartDirective } from 'ng2-charts';

import type { BreakdownChart, DailyChart } from './usage-charts';

/**
 * One of the usage page's charts: a canvas named for screen readers (`label`), sized by its host's
 * class. The chart parts it draws are registered by the page (`provideCharts`).
 */
@Component({
  selector: 'sah-usage-chart',
  imports: [BaseChartDirective],
  template: `
    <canvas
      baseChart
      [type]="chart().type"
      [data]="chart().data"
      [options]="chart().options"
      role="img"
      [attr.aria-label]="label()"
    ></canvas>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsageChartComponent {
  readonly chart = input.required<DailyChart | BreakdownChart>();
  readonly label = input.required<string>();
}
