import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'functions/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // 2-core machines: model tests are CPU-bound, so run at most two files at once.
    pool: 'forks',
    maxWorkers: 2,
  },
});
