import { FilterBarComponent } from './filter-bar/filter-bar.component';
import { ListHeaderComponent } from './list-header/list-header.component';
import { ShortIdComponent } from './short-id/short-id.component';
import { TableCellDirective, TableRowDetailDirective } from './table-panel/table-columns';
import { TablePanelComponent } from './table-panel/table-panel.component';

export type { ListHeaderAction, ListHeaderSecondaryAction } from './list-header/list-header.component';
export type { TableAction, TableColumn } from './table-panel/table-columns';
export {
  actionsColumn,
  actorColumn,
  catalogueColumns,
  createdColumn,
  timeColumn,
  userColumn,
} from './table-panel/table-columns';
export type { TableSpec } from './table-panel/table-panel.component';

/**
 * The standalone parts a list page's template is made of, for its component's `imports`:
 * `<sah-list-header>`, `<sah-filter-bar>`, `<sah-table-panel>` with its `sahCell` and `sahRowDetail`
 * templates, and `<sah-short-id>` for ids in cells. The types that describe them come from here too.
 */
export const LIST_PAGE_IMPORTS = [
  ListHeaderComponent,
  FilterBarComponent,
  TablePanelComponent,
  TableCellDirective,
  TableRowDetailDirective,
  ShortIdComponent,
] as const;
