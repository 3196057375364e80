import { defineConfig } from 'vitest/config';
import { browserProject } from './test/support/browser-project.ts';

/**
 * Only mirror mode's recorder tests, in real Chromium: what mutation testing of
 * widget/mirror/ runs for every mutant (`npm run mutate:mirror`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        ...browserProject,
        test: { ...browserProject.test, include: ['test/widget/mirror/**/*.test.ts'] },
      },
    ],
  },
});
