export * from './ledger';
export * from './balance-alert';
export * from './usage-forecast';
export * from './adjustment-csv';
export * from './statement';
