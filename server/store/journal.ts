import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppendLog } from './append-log.ts';
import { syncDirectory } from './durable-json-file.ts';
import { HotState, type JournalEntry } from './hot-state.ts';

/**
 * The hot state's log: `journal/<n>.log` segments of JSON lines, appended with group commit.
 * When the current segment has grown past `compactBytes`, a new segment is written holding
 * just the hot state, and the older ones are deleted: the journal stays the size of what is
 * open, however long the history.
 */
export class Journal {
  readonly hot: HotState;
  readonly #dir: string;
  readonly #compactBytes: number;
  #log: AppendLog;
  #segment: number;
  /** Set while compacting: appends wait for it, then go to the new segment. */
  #compacting: Promise<void> | undefined;

  private constructor(
    dir: string,
    hot: HotState,
    log: AppendLog,
    segment: number,
    compactBytes: number,
  ) {
    this.#dir = dir;
    this.hot = hot;
    this.#log = log;
    this.#segment = segment;
    this.#compactBytes = compactBytes;
  }

  static async open(dir: string, options: { compactBytes: number }): Promise<Journal> {
    await mkdir(dir, { recursive: true });
    const segments = await segmentsIn(dir);
    const hot = new HotState();
    let log: AppendLog | undefined;
    for (const [i, segment] of segments.entries()) {
      const opened = await AppendLog.open(segmentPath(dir, segment));
      for (const [n, line] of opened.lines.entries()) {
        hot.apply(parseEntry(line, `${opened.log.path}:${n + 1}`));
      }
      if (i === segments.length - 1) log = opened.log;
      else await opened.log.close();
    }
    const segment = segments.at(-1) ?? 1;
    log ??= (await AppendLog.open(segmentPath(dir, segment))).log;
    const journal = new Journal(dir, hot, log, segment, options.compactBytes);
    // Start small: a crash between writing a compacted segment and deleting the old ones
    // left more than one.
    if (segments.length > 1 || log.size > options.compactBytes) await journal.compact();
    return journal;
  }

  /**
   * Applies the entry to the hot state at once, so readers see it, and resolves when it is
   * durable. Callers acknowledge only after that.
   */
  async append(entry: JournalEntry): Promise<void> {
    this.hot.apply(entry);
    if (this.#compacting) await this.#compacting;
    await this.#log.append(JSON.stringify(entry));
    if (this.#log.size > this.#compactBytes && !this.#compacting) {
      this.#compacting = this.compact().finally(() => {
        this.#compacting = undefined;
      });
    }
  }

  /** Writes the hot state to a new segment, then forgets the older ones. */
  async compact(): Promise<void> {
    await this.#log.flushed();
    const next = this.#segment + 1;
    const { log } = await AppendLog.open(segmentPath(this.#dir, next));
    // One batch: the whole snapshot goes out in a single write and fdatasync.
    await Promise.all([...this.hot.entries()].map((entry) => log.append(JSON.stringify(entry))));
    const old = this.#log;
    this.#log = log;
    this.#segment = next;
    await old.close();
    for (const segment of await segmentsIn(this.#dir)) {
      if (segment < next) await rm(segmentPath(this.#dir, segment), { force: true });
    }
    await syncDirectory(this.#dir);
  }

  async close(): Promise<void> {
    if (this.#compacting) await this.#compacting;
    await this.#log.close();
  }
}

function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(8, '0')}.log`);
}

async function segmentsIn(dir: string): Promise<number[]> {
  return (await readdir(dir))
    .map((name) => /^(\d{8})\.log$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function parseEntry(line: string, where: string): JournalEntry {
  try {
    return JSON.parse(line) as JournalEntry;
  } catch {
    // Only the last line can be torn, and AppendLog.open cut that off: this is damage.
    throw new Error(`the journal is damaged at ${where}`);
  }
}
