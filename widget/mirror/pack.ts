/**
 * A batch of recorded events on its way to the server: JSON, gzip-compressed in the browser
 * (CompressionStream), cut into pieces the socket accepts. A snapshot of a big page is
 * megabytes of JSON: written out in one `JSON.stringify` it would hold the page for 50–90 ms
 * at 50,000 elements, and as much again to encode, so it is written node by node and fed to
 * the compressor in slices (see slices.ts).
 */
import { MIRROR_LIMITS } from '../../protocol/limits.ts';
import { Slices } from './slices.ts';

/** Text handed to the compressor at a time. */
const CHUNK_CHARS = 64 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON text in small pieces, exactly as `JSON.stringify` writes it. Arrays and the objects
 * that hold the page's nodes (events, their data, nodes with children) are written part by
 * part; anything else, small, in one call.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield '[';
    for (const [index, item] of value.entries()) {
      if (index > 0) yield ',';
      // As JSON.stringify does: what JSON cannot hold becomes null in an array.
      yield* item === undefined || typeof item === 'function' ? ['null'] : jsonPieces(item);
    }
    yield ']';
  } else if (isRecord(value) && ('childNodes' in value || 'data' in value || 'node' in value)) {
    let first = true;
    yield '{';
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonPieces(item);
    }
    yield '}';
  } else {
    yield JSON.stringify(value) ?? 'null';
  }
}

export async function pack(events: readonly unknown[]): Promise<Uint8Array<ArrayBuffer>[]> {
  const gzip = new CompressionStream('gzip');
  const compressed = new Response(gzip.readable).arrayBuffer();
  const writer = gzip.writable.getWriter();
  const encoder = new TextEncoder();
  const slices = new Slices();
  let text = '';
  for (const piece of jsonPieces(events)) {
    text += piece;
    if (text.length < CHUNK_CHARS) continue;
    await writer.write(encoder.encode(text));
    text = '';
    if (slices.spent) await slices.pause();
  }
  if (text !== '') await writer.write(encoder.encode(text));
  await writer.close();
  const bytes = new Uint8Array(await compressed);
  const pieces: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < bytes.byteLength; at += MIRROR_LIMITS.partBytes) {
    pieces.push(bytes.subarray(at, at + MIRROR_LIMITS.partBytes));
  }
  return pieces;
}
