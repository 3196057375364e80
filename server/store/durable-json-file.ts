import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter whose `write` resolves only once the data is on disk: it writes a temp
 * file, fsyncs it, renames it over the target and fsyncs the directory, so a crash leaves
 * either the old file or the new one, never a torn one. lowdb's own JSONFile (steno) renames
 * without fsync, which can lose an acknowledged write on power loss.
 *
 * Writes are coalesced: while one write is on its way to disk, later calls share the next
 * write, which serialises the latest data when it starts. Every caller's promise resolves
 * after a write that began after its call, so "resolved" always means "this state is durable".
 */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly #path: string;
  #writing = false;
  #next: { data: T; waiters: { resolve: () => void; reject: (error: unknown) => void }[] } | null =
    null;

  constructor(path: string) {
    this.#path = path;
  }

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.#path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  write(data: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#next) this.#next.data = data;
      else this.#next = { data, waiters: [] };
      this.#next.waiters.push({ resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#next) {
      const batch = this.#next;
      this.#next = null;
      try {
        await writeDurably(this.#path, JSON.stringify(batch.data));
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    this.#writing = false;
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'w');
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  // The rename itself lives in the directory entry: sync it too.
  await syncDirectory(dirname(path));
}

/** Whether anything is at `path` (a missing file is an answer; any other failure is thrown). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Makes a directory's entries (a new file, a rename) durable. */
export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/**
 * Removes temp files a crash left behind in `dir`: a temp file is only ever renamed into
 * place once complete, so one still there after a restart was never part of any state.
 */
export async function removeTempFiles(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  await Promise.all(
    entries
      .filter((name) => /^\..+\.[0-9a-f]{12}\.tmp$/.test(name))
      .map((name) => rm(join(dir, name), { force: true })),
  );
}
