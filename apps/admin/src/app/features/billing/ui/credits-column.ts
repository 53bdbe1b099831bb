import type { TableColumn } from '../../../shared/ui/list-page';
import { formatCredits } from './credits.pipe';

/** An amount of credits in a table, right-aligned, in the app's locale (the panel's). */
export function creditsColumn<Row>(
  key: string,
  header: string,
  credits: (row: Row) => number,
  testId?: string,
): TableColumn<Row> {
  return {
    key,
    header,
    cell: (row, locale) => formatCredits(credits(row), locale),
    class: 'table-panel__number',
    ...(testId ? { testId } : {}),
  };
}
