/**
 * The first picture of the page, taken in slices (see slices.ts): rrweb's own snapshot is one
 * task for the whole page, 150–200 ms at 5,000 elements; this one never holds the page for
 * long, whatever its size. What changes on the page meanwhile is put right afterwards from the
 * change records (see changes.ts).
 */
import type { serializedNodeWithId } from '@rrweb/types';
import { type Serializer, TOP } from './serialize.ts';
import { Slices } from './slices.ts';

/** Nodes between looks at the clock (each node takes microseconds). */
const STEPS_PER_LOOK = 32;

/** The document written out, or undefined when `stopped` turned true on the way. */
export async function writeSnapshot(
  serializer: Serializer,
  stopped: () => boolean,
): Promise<serializedNodeWithId | undefined> {
  const walk = serializer.walk(document, TOP, false);
  const slices = new Slices();
  for (let steps = 1; ; steps++) {
    const step = walk.next();
    if (step.done) return step.value;
    if (steps % STEPS_PER_LOOK === 0 && slices.spent) {
      await slices.pause();
      if (stopped()) return undefined;
    }
  }
}
