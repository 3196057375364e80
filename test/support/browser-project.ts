import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { helpCommands } from './browser-commands.ts';
import { chromiumArgs, chromiumPath } from './chromium.ts';

/** Element tests in real Chromium (Debian's), with commands that reach a real server. */
export const browserProject: TestProjectInlineConfiguration = {
  test: {
    name: 'browser',
    include: ['test/widget/**/*.test.ts', 'test/agent-ui/**/*.test.ts'],
    testTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
      instances: [{ browser: 'chromium' }],
      commands: helpCommands,
    },
  },
};
