// Shared jest settings: SWC transpiles (same decorator semantics as the build); tsc type-checks separately.
const path = require('node:path');
const swcrc = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.exclude;
swcrc.jsc.baseUrl = __dirname;

module.exports = {
  testEnvironment: 'node',
  runtime: path.join(__dirname, 'tools/test/code-cache-runtime.cjs'),
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@sah/domain$': path.join(__dirname, 'libs/domain/src/index.ts'),
    '^@sah/infrastructure/testing$': path.join(__dirname, 'libs/infrastructure/src/testing/index.ts'),
    '^@sah/infrastructure$': path.join(__dirname, 'libs/infrastructure/src/index.ts'),
  },
};
