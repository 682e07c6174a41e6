import { takeCoverage } from 'node:v8';

/**
 * Under `mocha --parallel`, each worker process is ended by the pool, not by a normal exit,
 * so V8 never writes its coverage. Writing it after every test file keeps `c8` complete.
 */
export const mochaHooks = {
  afterAll(): void {
    if (process.env.NODE_V8_COVERAGE) takeCoverage();
  },
};
