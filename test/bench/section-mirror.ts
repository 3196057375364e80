/**
 * Section `mirror`: the recorder's snapshot cost and a change's way to the helper's replay, in
 * real Chromium (mirror-bench.ts, which also runs alone), as a child process like `follow`.
 */
import { scriptSection } from './children.ts';

/** mirror-bench.ts stops itself after 120 s; this is the backstop. */
export const mirrorSection = () => scriptSection('test/bench/mirror-bench.ts', 180_000);
