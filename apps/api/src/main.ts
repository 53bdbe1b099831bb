import { x } from '@sah/domain';
console.log('x', x);
