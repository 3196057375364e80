// @ts-check
/**
 * Mutation testing of mirror mode's recorder (widget/mirror/): `npm run mutate:mirror`.
 * Its Vitest config runs only the recorder's tests, in real Chromium, with rrweb's replayer.
 */
import { mutationConfig } from './stryker.shared.mjs';

export default mutationConfig({
  part: 'mirror',
  vitestConfig: 'vitest.mirror.config.ts',
  mutate: [
    'widget/mirror/serialize.ts',
    'widget/mirror/changes.ts',
    'widget/mirror/node-ids.ts',
    'widget/mirror/snapshot.ts',
    'widget/mirror/slices.ts',
    'widget/mirror/pack.ts',
    'widget/mirror/masking.ts',
    'widget/mirror/recorder.ts',
  ],
  breakBelow: 80,
});
