/**
 * Runs async tasks one after another. Used where a task reads, awaits, then writes, so two
 * callers cannot interleave and lose one another's change.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The chain goes on whether a task fails or not; the caller still sees the failure.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
