// Jest's runtime with V8 code caching. Jest compiles every module again for every test file (each
// file gets a fresh module registry and context); for an e2e file that loads the whole API, that
// compiling was the largest single cost in a profile of ten files (16 % of their CPU time). The
// first compile of a module in a worker keeps V8's code cache, and later files in that worker start
// from it. Modules still run afresh per file: only the parsing and compiling is saved.
const vm = require('node:vm');

const compileFunction = vm.compileFunction;
/** filename → the code compiled and its cache; a changed code (another transform) compiles anew. */
const cache = new Map();

vm.compileFunction = function compileWithCodeCache(code, params, options = {}) {
  const { filename } = options;
  const cached = filename === undefined ? undefined : cache.get(filename);
  if (cached?.code === code) {
    const compiled = compileFunction(code, params, { ...options, cachedData: cached.data });
    if (!compiled.cachedDataRejected) return compiled;
  }
  const compiled = compileFunction(code, params, { ...options, produceCachedData: true });
  if (filename !== undefined && compiled.cachedData) cache.set(filename, { code, data: compiled.cachedData });
  return compiled;
};

module.exports = require('jest-runtime');
