/**
 * A batch of recorded events on its way to the server: JSON, gzip-compressed in the browser
 * (CompressionStream, off the page's own work), cut into pieces the socket accepts.
 */
import { MIRROR_LIMITS } from '../../protocol/limits.ts';

export async function pack(events: readonly unknown[]): Promise<Uint8Array<ArrayBuffer>[]> {
  const compressed = new Blob([JSON.stringify(events)])
    .stream()
    .pipeThrough(new CompressionStream('gzip'));
  const bytes = new Uint8Array(await new Response(compressed).arrayBuffer());
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < bytes.byteLength; at += MIRROR_LIMITS.partBytes) {
    pieces.push(bytes.subarray(at, at + MIRROR_LIMITS.partBytes));
  }
  return pieces;
}
