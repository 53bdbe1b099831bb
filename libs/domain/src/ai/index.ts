export * from './chat';
export * from './token-estimate';
export * from './ai-model';
export * from './provider-failure';
export * from './retry-policy';
export * from './circuit-breaker';
export * from './ports/chat-provider';
