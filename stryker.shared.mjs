// @ts-check
/**
 * What every mutation-testing config shares (`npm run mutate:*`, see docs/testing.md): each
 * part has its own Vitest config, sandbox and report, so the parts can run apart or together.
 * @param {{ part: string, vitestConfig: string, mutate: string[], breakBelow: number }} part
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function mutationConfig({ part, vitestConfig, mutate, breakBelow }) {
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: vitestConfig },
    // Stryker rewrites tsconfig.json for the sandbox with TypeScript's JavaScript API, which
    // TypeScript 7 no longer has ("ts.parseConfigFileTextToJson is not a function"). The
    // rewrite only matters for `extends`/`references` outside the project, and ours has none:
    // naming a file that does not exist skips it. Vite strips types itself.
    tsconfigFile: 'no-tsconfig-rewrite.json',
    mutate,
    // Two runners fit this two-core machine (for co-browsing, each is a Vite server and a
    // Chromium).
    concurrency: 2,
    tempDirName: `.stryker-tmp/${part}`,
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
    htmlReporter: { fileName: `reports/mutation/${part}/index.html` },
    jsonReporter: { fileName: `reports/mutation/${part}/mutation.json` },
    thresholds: { high: breakBelow + 5, low: breakBelow, break: breakBelow },
    cleanTempDir: 'always',
  };
}
