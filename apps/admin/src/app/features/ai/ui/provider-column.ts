import type { TableColumn } from '../../../shared/ui/list-page';
import { providerLabel } from './ai-labels';

/** A chat provider's name in a table (models, provider keys). */
export function providerColumn<Row extends { readonly provider: string }>(): TableColumn<Row> {
  return { key: 'provider', header: 'Provider', cell: (row) => providerLabel(row.provider) };
}
