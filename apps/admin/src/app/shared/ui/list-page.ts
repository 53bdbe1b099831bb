import { FilterBarComponent } from './filter-bar/filter-bar.component';
import { ListHeaderComponent } from './list-header/list-header.component';
import { ShortIdComponent } from './short-id/short-id.component';
import { StatusChipComponent } from './status-chip/status-chip.component';
import { TableCellDirective, TableRowDetailDirective } from './table-panel/table-columns';
import { TablePanelComponent } from './table-panel/table-panel.component';

export type { StatusLook, StatusTone, StatusTones } from './status-chip/status-chip.component';
export { statusLook } from './status-chip/status-chip.component';
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
 * templates, `<sah-short-id>` for ids and `<sah-status-chip>` for statuses in cells. The types that
 * describe them come from here too.
 */
export const LIST_PAGE_IMPORTS = [
  ListHeaderComponent,
  FilterBarComponent,
  TablePanelComponent,
  TableCellDirective,
  TableRowDetailDirective,
  ShortIdComponent,
  StatusChipComponent,
] as const;
