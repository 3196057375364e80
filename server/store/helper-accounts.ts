import { type FSWatcher, watch as fsWatch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import lockfile from 'proper-lockfile';
import type { HelperAccount } from '../domain/helper-types.ts';
import { SerialQueue } from '../serial-queue.ts';
import { DurableJsonFile } from './durable-json-file.ts';
import { StoreConflictError } from './store.ts';

interface HelpersFile {
  helpers: HelperAccount[];
}

/**
 * Helper accounts, a small whole document (`helpers.json`, lowdb) written by the server and
 * by `npm run volunteer`. Every change is made under a lock file that every process honours,
 * so no one's change is lost to another's write; readers re-read the file when it changed.
 */
export class HelperAccounts {
  readonly #db: Low<HelpersFile>;
  readonly #path: string;
  readonly #lockPath: string;
  /** What the file looked like when last read, so an unchanged file is not read again. */
  #seen = '';
  /** Whether the file may have changed since it was read: told by a watch on the directory. */
  #stale = true;
  #watcher: FSWatcher | undefined;
  readonly #serial = new SerialQueue();

  constructor(dataDir: string) {
    this.#path = join(dataDir, 'helpers.json');
    this.#lockPath = join(dataDir, 'helpers.lock');
    this.#db = new Low(new DurableJsonFile<HelpersFile>(this.#path), { helpers: [] });
  }

  /**
   * Watches the directory so that reading the accounts costs nothing until someone (the
   * command line, another process) changes them. Without it, every read checks the file.
   */
  watch(): void {
    try {
      this.#watcher = fsWatch(dirname(this.#path), (_event, name) => {
        if (name === null || name === basename(this.#path)) this.#stale = true;
      });
      this.#watcher.unref();
      this.#watcher.on('error', () => this.#stopWatching());
    } catch {
      this.#stopWatching();
    }
  }

  /** The accounts; `fresh` checks the file first even if no change was seen. */
  list(options: { fresh?: boolean } = {}): Promise<HelperAccount[]> {
    if (!this.#stale && !options.fresh && this.#watcher) return Promise.resolve(this.#copy());
    return this.#serial.run(async () => {
      await this.#read();
      return this.#copy();
    });
  }

  add(account: HelperAccount): Promise<void> {
    return this.#change((data) => {
      const wanted = account.name.toLocaleLowerCase();
      if (data.helpers.some((h) => h.name.toLocaleLowerCase() === wanted)) {
        throw new StoreConflictError(`a helper named "${account.name}" already exists`);
      }
      data.helpers.push({ ...account });
      return undefined;
    });
  }

  remove(name: string): Promise<HelperAccount | undefined> {
    return this.#change((data) => {
      const wanted = name.toLocaleLowerCase();
      const found = data.helpers.find((h) => h.name.toLocaleLowerCase() === wanted);
      if (found) data.helpers = data.helpers.filter((h) => h !== found);
      return found;
    });
  }

  /** Resolves once nothing is pending. */
  async close(): Promise<void> {
    this.#stopWatching();
    await this.#serial.run(async () => undefined);
  }

  #copy(): HelperAccount[] {
    return this.#db.data.helpers.map((h) => ({ ...h }));
  }

  #stopWatching(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  async #read(): Promise<void> {
    // Cleared before looking, so a change made while we read marks it stale again.
    this.#stale = false;
    // A write renames a new file into place: a new inode, whatever the clock says.
    const seen = await stat(this.#path).then(
      (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
      () => 'none',
    );
    if (seen === this.#seen) return;
    await this.#db.read();
    this.#seen = seen;
  }

  #change<T>(change: (data: HelpersFile) => T): Promise<T> {
    return this.#serial.run(async () => {
      const release = await lockfile.lock(this.#path, {
        lockfilePath: this.#lockPath,
        realpath: false,
        // A lock older than this was left by a process that died holding it.
        stale: 10_000,
        retries: { retries: 100, minTimeout: 10, maxTimeout: 200 },
      });
      try {
        this.#seen = '';
        await this.#read();
        const result = change(this.#db.data);
        await this.#db.write();
        this.#seen = '';
        return result;
      } finally {
        await release();
      }
    });
  }
}
