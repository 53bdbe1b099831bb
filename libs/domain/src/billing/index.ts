export * from './ledger';
export * from './usage-forecast';
export * from './promo-code';
export * from './adjustment-csv';
export * from './statement';
export * from './plan-allowance';
export * from './budget-thresholds';
export * from './request-cap-period';
