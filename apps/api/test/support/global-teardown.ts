export { tearDownTestEnvironment as default } from '@sah/infrastructure/testing';
