// @ts-check
/**
 * Mutation testing of the conversation rules (server/domain/): `npm run mutate:domain`.
 * Its Vitest config runs the pure tests of the domain (vitest.domain.config.ts).
 */
import { mutationConfig } from './stryker.shared.mjs';

export default mutationConfig({
  part: 'domain',
  vitestConfig: 'vitest.domain.config.ts',
  mutate: ['server/domain/**/*.ts', '!server/domain/**/*-types.ts'],
  breakBelow: 90,
});
