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
  // Three files at a time on two cores: api jest left the CPU 65 % idle with two (its files mostly
  // wait on timers, windows, processes and browsers), so a third overlaps those waits.
  maxWorkers: 3,
  // Each file boots Nest apps whose leftovers stay in the worker's heap; a worker past this is
  // replaced between files, so no long major GC stalls a test (and its Redis deadlines) late in the run.
  workerIdleMemoryLimit: '1GB',
};
