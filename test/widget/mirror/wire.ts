/** What the recorder sends, kept and read back as the server and the helper's replay would. */
import type { RecordedPart } from '../../../widget/mirror/recorder.ts';

/** What a batch held, decompressed as the helper's replay does. */
export async function unpack(pieces: Uint8Array[]): Promise<{ type: number; data?: unknown }[]> {
  const stream = new Blob(pieces as BlobPart[])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}

/** Batches as sent, in order, their pieces put together. */
export class Wire {
  parts: RecordedPart[] = [];
  /** How `send` answers; undefined plays a lost piece. */
  answer: { snapshot: boolean } | undefined = { snapshot: false };
  readonly send = async (part: RecordedPart) => {
    this.parts.push(part);
    return this.answer;
  };

  async batches() {
    const byBatch = new Map<number, RecordedPart[]>();
    for (const part of this.parts)
      byBatch.set(part.batch, [...(byBatch.get(part.batch) ?? []), part]);
    return Promise.all(
      [...byBatch.entries()].map(async ([batch, parts]) => ({
        batch,
        full: parts[0]?.full ?? false,
        events: await unpack(parts.sort((a, b) => a.part - b.part).map((p) => p.data)),
      })),
    );
  }

  async text(): Promise<string> {
    return JSON.stringify(await this.batches());
  }
}
