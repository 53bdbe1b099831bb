export * from './shared/domain-error';
export * from './identity';
export * from './shared/ports/mail-sender';
export * from './shared/credits';
export * from './billing';
export * from './ai';
export * from './media';
export * from './webhooks';
