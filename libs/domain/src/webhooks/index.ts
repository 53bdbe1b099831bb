export * from './event-catalogue';
export * from './webhook-payload';
export * from './retry-schedule';
export * from './delivery-outcome';
export * from './webhook-endpoint';
