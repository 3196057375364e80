// @ts-check
/**
 * Mutation testing of the conversation rules (server/domain/): `npm run mutate:domain`.
 * Self-contained beside stryker.cobrowse.config.mjs: its own Vitest config (Node, real
 * servers for the socket-level tests), sandbox and report. See docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.domain.config.ts' },
  // As in stryker.cobrowse.config.mjs: TypeScript 7 has no JavaScript API for the rewrite.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  mutate: ['server/domain/**/*.ts', '!server/domain/**/*-types.ts'],
  concurrency: 2,
  tempDirName: '.stryker-tmp/domain',
  ignorePatterns: [
    'dist',
    'data',
    'reports',
    'screenshots',
    '.vitest-attachments',
    'test-results',
    '.stryker-tmp',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/domain/index.html' },
  jsonReporter: { fileName: 'reports/mutation/domain/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  cleanTempDir: 'always',
};
