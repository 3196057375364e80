/**
 * Long work cut into slices: a few milliseconds of it, then the browser gets the main thread
 * back (for the visitor's clicks, typing and drawing), then on. A "long task", the kind that
 * makes a page feel stuck, starts at 50 ms; a slice stays well under that.
 */

/** Work per task. */
const SLICE_MS = 8;

/** A new task, after whatever input and drawing is waiting (a message, not a clamped timer). */
function nextTask(): Promise<void> {
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

export class Slices {
  #start = performance.now();

  /** Whether this slice has used its time. */
  get spent(): boolean {
    return performance.now() - this.#start > SLICE_MS;
  }

  /** Ends the slice: resumes in a later task. */
  async pause(): Promise<void> {
    await nextTask();
    this.#start = performance.now();
  }
}
