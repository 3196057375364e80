import { defineConfig } from 'vitest/config';
import { browserProject } from './test/support/browser-project.ts';

/**
 * Only the co-browsing element tests, in real Chromium: what mutation testing of
 * widget/cobrowse/ runs for every mutant (`npm run mutate:cobrowse`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        ...browserProject,
        test: { ...browserProject.test, include: ['test/widget/cobrowse/**/*.test.ts'] },
      },
    ],
  },
});
