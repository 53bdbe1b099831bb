export * from './ledger';
export * from './balance-alert';
export * from './usage-forecast';
