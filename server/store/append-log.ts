import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './durable-json-file.ts';

/** Where an appended line landed: enough to read it back with one positioned read. */
export interface Placed {
  offset: number;
  length: number;
}

interface Waiting {
  text: string;
  bytes: number;
  resolve: (placed: Placed) => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only file of JSON lines with group commit: every line appended while a write is
 * on its way to disk goes out in the next single write + fdatasync, and each caller's promise
 * resolves once its own line is durable. Nothing is ever rewritten. A crash can only leave
 * the last line torn; `open` cuts it off (it was never acknowledged).
 */
export class AppendLog {
  readonly path: string;
  #file: FileHandle;
  #size: number;
  #queue: Waiting[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;

  private constructor(path: string, file: FileHandle, size: number) {
    this.path = path;
    this.#file = file;
    this.#size = size;
  }

  /** Opens (creating if needed) the log; returns it with the complete lines already in it. */
  static async open(path: string): Promise<{ log: AppendLog; lines: string[] }> {
    await mkdir(dirname(path), { recursive: true });
    const { lines, goodBytes, totalBytes, existed } = await readLines(path);
    // A torn last line was never acknowledged: cut it off so the next line starts clean.
    if (goodBytes < totalBytes) await truncate(path, goodBytes);
    const file = await open(path, 'a');
    if (!existed) await syncDirectory(dirname(path));
    return { log: new AppendLog(path, file, goodBytes), lines };
  }

  /** Bytes in the file, counting lines written but not yet durable. */
  get size(): number {
    return this.#size + this.#queue.reduce((sum, w) => sum + w.bytes, 0);
  }

  /** Appends one line (no newline in it); resolves once it is on disk. */
  append(line: string): Promise<Placed> {
    if (this.#closed) return Promise.reject(new Error(`${this.path} is closed`));
    const text = `${line}\n`;
    return new Promise((resolve, reject) => {
      this.#queue.push({ text, bytes: Buffer.byteLength(text), resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Resolves when everything appended so far is on disk. */
  async flushed(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.#closed = true;
    await this.#file.close();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        const start = this.#size;
        try {
          const buffer = Buffer.from(batch.map((w) => w.text).join(''));
          await this.#file.write(buffer, 0, buffer.length, null);
          await this.#file.datasync();
          this.#size += buffer.length;
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
          continue;
        }
        let offset = start;
        for (const waiting of batch) {
          waiting.resolve({ offset, length: waiting.bytes - 1 });
          offset += waiting.bytes;
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }
}

/** The complete lines of a log file; a file that does not exist has none. */
export async function readLines(path: string): Promise<{
  lines: string[];
  goodBytes: number;
  totalBytes: number;
  existed: boolean;
}> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { lines: [], goodBytes: 0, totalBytes: 0, existed: false };
    }
    throw error;
  }
  const end = buffer.lastIndexOf(0x0a) + 1;
  const text = buffer.subarray(0, end).toString('utf8');
  const lines = text.split('\n').filter((line) => line.length > 0);
  return { lines, goodBytes: end, totalBytes: buffer.length, existed: true };
}

/**
 * Every complete line of the file at `path`, with where it lies, read a chunk at a time (a
 * month of archived conversations need not fit in memory). Offsets are counted in bytes, never
 * in decoded characters, so a torn line, even one cut inside a character, shifts nothing
 * after it. What follows the last newline was never acknowledged and is not given.
 */
export async function* placedLines(path: string): AsyncGenerator<Placed & { text: string }> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let offset = 0;
  let pending: Buffer[] = [];
  // The stream closes the file when it ends or when the caller stops early.
  for await (const chunk of file.createReadStream() as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const tail = chunk.subarray(start, newline);
      const line = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
      pending = [];
      if (line.length > 0) yield { text: line.toString('utf8'), offset, length: line.length };
      offset += line.length + 1;
      start = newline + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
}

/** Reads `length` bytes at `offset`: one line placed by `append`. */
export async function readPlaced(path: string, placed: Placed): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(placed.length);
    await file.read(buffer, 0, placed.length, placed.offset);
    return buffer.toString('utf8');
  } finally {
    await file.close();
  }
}
