import type { ChartConfiguration } from 'chart.js';

import type { UsageRow } from '../data-access/ai.types';
import type { ChartColors } from '../ui/chart-colors';
import { daysBetween } from './usage-filter';

export type DailyChart = ChartConfiguration<'bar' | 'line', number[], string>;
export type BreakdownChart = ChartConfiguration<'bar', number[], string>;

/** The most groups the breakdown chart draws; the table below lists them all. */
export const BREAKDOWN_CHART_LIMIT = 10;

/**
 * Credits (bars, left axis) and requests (line, right axis) for every day of the range; days without
 * calls are drawn as zero rather than left out, so gaps are visible. `formatCredits` writes the
 * tooltip figures: the chart shows the API's numbers and never computes with them.
 */
export function dailyChart(
  rows: readonly UsageRow[],
  range: { readonly fromDay: string; readonly toDay: string },
  colors: ChartColors,
  formatCredits: (value: number) => string,
): DailyChart {
  const byDay = new Map(rows.map((row) => [row.key, row]));
  const days = daysBetween(range.fromDay, range.toDay);
  return {
    type: 'bar',
    data: {
      labels: days,
      datasets: [
        {
          type: 'bar',
          label: 'Credits',
          data: days.map((day) => byDay.get(day)?.credits ?? 0),
          backgroundColor: colors.primary,
          yAxisID: 'credits',
          order: 2,
        },
        {
          type: 'line',
          label: 'Requests',
          data: days.map((day) => byDay.get(day)?.requests ?? 0),
          borderColor: colors.secondary,
          backgroundColor: colors.secondary,
          pointRadius: days.length > 60 ? 0 : 3,
          tension: 0.2,
          yAxisID: 'requests',
          order: 1,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { labels: { color: colors.text } },
        tooltip: {
          callbacks: {
            label: (item) =>
              item.dataset.yAxisID === 'credits'
                ? `Credits: ${formatCredits(item.parsed.y ?? 0)}`
                : `Requests: ${item.formattedValue}`,
          },
        },
      },
      scales: {
        x: { ticks: { color: colors.text, maxRotation: 0, autoSkip: true }, grid: { display: false } },
        credits: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          title: { display: true, text: 'Credits', color: colors.text },
          ticks: { color: colors.text, callback: (value) => formatCredits(Number(value)) },
          grid: { color: colors.grid },
        },
        requests: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          title: { display: true, text: 'Requests', color: colors.text },
          ticks: { color: colors.text, precision: 0 },
          grid: { drawOnChartArea: false },
        },
      },
    },
  };
}

/** Credits per group, largest first as the API orders them, as horizontal bars. */
export function breakdownChart(
  rows: readonly UsageRow[],
  labelOf: (key: string) => string,
  colors: ChartColors,
  formatCredits: (value: number) => string,
): BreakdownChart {
  const shown = rows.slice(0, BREAKDOWN_CHART_LIMIT);
  return {
    type: 'bar',
    data: {
      labels: shown.map((row) => labelOf(row.key)),
      datasets: [
        {
          label: 'Credits',
          data: shown.map((row) => row.credits),
          backgroundColor: colors.primary,
          borderRadius: 4,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `Credits: ${formatCredits(item.parsed.x ?? 0)}` } },
      },
      scales: {
        x: {
          beginAtZero: true,
          ticks: { color: colors.text, callback: (value) => formatCredits(Number(value)) },
          grid: { color: colors.grid },
        },
        y: { ticks: { color: colors.text }, grid: { display: false } },
      },
    },
  };
}
