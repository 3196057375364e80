import { defineConfig } from 'vitest/config';

/**
 * The pure tests of server/domain/: what mutation testing of the domain runs for each mutant
 * (`npm run mutate:domain`), the ones that reach it. The socket-level tests that also guard
 * these rules (access-ends, follow-mode) run in `npm test`; they take seconds per mutant.
 */
export default defineConfig({
  test: {
    name: 'domain',
    include: [
      'test/server/conversation.test.ts',
      'test/server/domain-rules.test.ts',
      'test/server/transcript.test.ts',
      'test/server/search-text.test.ts',
      'test/server/visitor-keys.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
