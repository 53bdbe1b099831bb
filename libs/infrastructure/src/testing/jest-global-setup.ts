import { setUpTestEnvironment } from './jest-hooks';

export default () => setUpTestEnvironment('infra');
