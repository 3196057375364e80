// @ts-check
/**
 * Mutation testing of the co-browsing client (widget/cobrowse/): `npm run mutate:cobrowse`.
 * Self-contained: its own Vitest config (browser mode, real Chromium), sandbox and report,
 * so other Stryker configs can sit beside it. See docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.cobrowse.config.ts' },
  // Stryker rewrites tsconfig.json for the sandbox with TypeScript's JavaScript API, which
  // TypeScript 7 no longer has ("ts.parseConfigFileTextToJson is not a function"). The rewrite
  // only matters for `extends`/`references` outside the project, and ours has none: naming a
  // file that does not exist skips it. Vite strips types itself; nothing else reads this.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  mutate: [
    'widget/cobrowse/fields.ts',
    'widget/cobrowse/element-path.ts',
    'widget/cobrowse/scroll-position.ts',
    'widget/cobrowse/selection.ts',
    'widget/cobrowse/control-apply.ts',
    'widget/cobrowse/leader.ts',
    'widget/cobrowse/follower.ts',
  ],
  // Each runner is a Vite server plus a Chromium; two fit this two-core machine.
  concurrency: 2,
  tempDirName: '.stryker-tmp/cobrowse',
  // Not copied into the sandbox: build output, data, reports, other Stryker sandboxes.
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
  htmlReporter: { fileName: 'reports/mutation/cobrowse/index.html' },
  jsonReporter: { fileName: 'reports/mutation/cobrowse/mutation.json' },
  thresholds: { high: 90, low: 80, break: 80 },
  cleanTempDir: 'always',
};
