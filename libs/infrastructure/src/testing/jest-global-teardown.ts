export { tearDownTestEnvironment as default } from './jest-hooks';
