export * from './test-environment';
export * from './jest-hooks';
