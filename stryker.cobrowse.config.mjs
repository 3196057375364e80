// @ts-check
/**
 * Mutation testing of the co-browsing client (widget/cobrowse/): `npm run mutate:cobrowse`.
 * Its Vitest config runs only the co-browsing element tests, in real Chromium.
 */
import { mutationConfig } from './stryker.shared.mjs';

export default mutationConfig({
  part: 'cobrowse',
  vitestConfig: 'vitest.cobrowse.config.ts',
  mutate: [
    'widget/cobrowse/fields.ts',
    'widget/cobrowse/element-path.ts',
    'widget/cobrowse/scroll-position.ts',
    'widget/cobrowse/selection.ts',
    'widget/cobrowse/control-apply.ts',
    'widget/cobrowse/leader.ts',
    'widget/cobrowse/follower.ts',
  ],
  breakBelow: 80,
});
