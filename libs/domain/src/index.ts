export * from './shared/domain-error';
export * from './identity';
