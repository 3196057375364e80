/**
 * Section `follow`: follow mode's scroll latency in real browsers (follow-bench.ts, which
 * also runs alone). It runs as a child process so its browser and in-process server are
 * cleaned up by its own exit handling, and by ours if it hangs.
 */
import { scriptSection } from './children.ts';

/** follow-bench.ts stops itself after 90 s; this is the backstop. */
export const followSection = () => scriptSection('test/bench/follow-bench.ts', 150_000);
