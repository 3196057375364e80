/**
 * Puts the visitor's recording back together: pieces of a batch, in any order and possibly
 * twice (the kept snapshot and the live relay overlap when the replay opens), become the
 * batch's events, decompressed in the browser, batch after batch in order. Batch numbers only
 * go up within a share, across the visitor's reloads too.
 */
import type { KeptMirrorPart } from '../../protocol/mirror.ts';

export class Assembler {
  /** Pieces of batches not yet complete, by batch number. */
  readonly #open = new Map<number, { parts: (Uint8Array | undefined)[]; full: boolean }>();
  /** The last batch handed on: anything at or before it (and not a new snapshot) is old. */
  #last = -1;
  /** Decompression is asynchronous: batches are handed on in the order they completed. */
  #chain: Promise<void> = Promise.resolve();
  readonly #deliver: (events: unknown[], full: boolean) => void;

  constructor(deliver: (events: unknown[], full: boolean) => void) {
    this.#deliver = deliver;
  }

  add(part: KeptMirrorPart): void {
    if (part.batch <= this.#last) return;
    // A new snapshot: whatever came before it and is still missing pieces is not needed.
    if (part.full && part.batch > this.#last + 1) {
      for (const batch of this.#open.keys()) if (batch < part.batch) this.#open.delete(batch);
      this.#last = part.batch - 1;
    }
    const entry = this.#open.get(part.batch) ?? {
      parts: Array.from({ length: part.parts }, () => undefined),
      full: part.full,
    };
    entry.parts[part.part] = new Uint8Array(part.data);
    this.#open.set(part.batch, entry);
    // Batches go on strictly in order: the next one, once all its pieces are here.
    for (;;) {
      const next = this.#open.get(this.#last + 1);
      if (!next || next.parts.some((p) => p === undefined)) return;
      this.#open.delete(this.#last + 1);
      this.#last += 1;
      const pieces = next.parts as Uint8Array[];
      this.#chain = this.#chain.then(() =>
        unpack(pieces).then(
          (events) => this.#deliver(events, next.full),
          (error: unknown) =>
            console.warn('a batch of the visitor’s page could not be read', error),
        ),
      );
    }
  }
}

async function unpack(pieces: Uint8Array[]): Promise<unknown[]> {
  const stream = new Blob(pieces as BlobPart[])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const events: unknown = JSON.parse(await new Response(stream).text());
  return Array.isArray(events) ? events : [];
}
