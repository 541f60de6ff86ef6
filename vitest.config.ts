import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never see the developer's own model store: with sam3 installed, `--engine auto` would
// otherwise pick it and change what the lite tests check.
const modelHome = mkdtempSync(join(tmpdir(), 'promptseg-test-home-'));

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'functions/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'web/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // 2-core machines: model tests are CPU-bound, so run at most two files at once.
    pool: 'forks',
    env: { PROMPTSEG_HOME: modelHome, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxWorkers: 2,
  },
});
