import { setUpTestEnvironment } from '@sah/infrastructure/testing';

export default () => setUpTestEnvironment('api');
