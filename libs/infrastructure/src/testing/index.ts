export * from './test-environment';
export * from './jest-hooks';
export * from './silent-first-connection';
