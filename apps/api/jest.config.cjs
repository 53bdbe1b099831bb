module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A bound for hung tests and hooks, not a wait. Hooks that boot or close an app (and drop its
  // database copy, which forces a PostgreSQL checkpoint) passed 30 s twice on a loaded 2-core machine.
  testTimeout: 60_000,
  maxWorkers: 2,
};
