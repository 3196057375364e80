import { defineConfig } from 'vitest/config';
import { browserProject } from './test/support/browser-project.ts';

export default defineConfig({
  test: {
    // Once per run: are PostgreSQL and Redis there (the scale-out suites)? Says so once.
    globalSetup: ['test/support/services-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/server/**/*.test.ts', 'test/build/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      browserProject,
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts', 'test/support/firefox-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two browsers and a server share two cores: a page may take a few seconds to follow.
          expect: { poll: { timeout: 5_000 } },
          // One browser at a time: two cores, and each test drives Chromium itself.
          fileParallelism: false,
        },
      },
    ],
  },
});
