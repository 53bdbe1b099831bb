// The console's specs wait for states (vi.waitFor, whenStable), never for fixed times. On a loaded
// CI machine Angular's first renders can pass Vitest's defaults (5 s a test, 1 s a waitFor), so both
// get a higher ceiling; a passing test is as fast as before.
vi.setConfig({ testTimeout: 20_000 });

const waitFor = vi.waitFor;
vi.waitFor = ((callback, options) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 5_000, ...options })) as typeof vi.waitFor;
