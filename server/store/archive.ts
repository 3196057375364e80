import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import { visitorKeys } from '../domain/returning-visitor.ts';
import { SerialQueue } from '../serial-queue.ts';
import { type Placed, placedLines, readLines, readPlaced } from './append-log.ts';
import { syncDirectory } from './durable-json-file.ts';
import { deepFreeze } from './frozen.ts';
import { reportLine, reportLogPath } from './report-log.ts';
import { searchLine, searchLogPath } from './search-log.ts';
import type { ReadMarks } from './store.ts';

/** An ended conversation, whole, as one archive line. */
export interface Archived {
  record: ConversationRecord;
  messages: Message[];
  readMarks: ReadMarks;
}

/** Where an archived conversation lies: its month's segment and the bytes in it. */
export interface Location extends Placed {
  id: string;
  month: string;
}

/** One line of a helper's index: enough to sort and page without opening the conversation. */
export interface HelperEntry extends Location {
  endedAt: string;
  createdAt: string;
}

/** One line of the visitors' index: a visitor key and where one of their chats lies. */
export interface VisitorEntry extends HelperEntry {
  key: string;
}

/**
 * Ended conversations, laid out so that no request reads or rewrites the whole history:
 * - `conversations/<yyyy-mm>.log`: one line per conversation (record, messages, read marks);
 * - `ids/<h>.log`: where each conversation lies, in 16 buckets by a hash of its id;
 * - `helpers/<helper id>.log`: each helper's ended conversations, for their history;
 * - `search/terms.log`: each conversation's search terms, for history search (search-log.ts);
 * - `visitors/<h>.log`: each visitor key's ended conversations (a returning visitor's
 *   earlier chats), in 16 buckets by a hash of the key, built whole once for an archive
 *   from before it (visitor-index.ts);
 * - `reports/entries.log`: what each conversation adds to the reports (report-log.ts).
 * Everything is appended, fdatasync'ed, and never rewritten.
 */
export class Archive {
  readonly #dir: string;
  readonly #serial = new SerialQueue();
  /** Recently read conversations: a helper looking at one reads it several times. */
  readonly #recent = new Map<string, Archived>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /**
   * Archives conversations, each file written once for the lot (one write and one fdatasync
   * per file). Archiving one twice (after a crash) is harmless: the last copy wins.
   */
  putMany(batch: Archived[]): Promise<void> {
    return this.#serial.run(async () => {
      const ended = batch.map((archived) => ({
        archived,
        endedAt: archived.record.endedAt ?? archived.record.createdAt,
      }));
      // The conversations first: the indexes say where they landed.
      const locations = new Map<string, Location>();
      for (const [month, group] of groupBy(ended, (e) => e.endedAt.slice(0, 7))) {
        const placed = await appendLines(
          this.#path('conversations', `${month}.log`),
          group.map((e) => JSON.stringify(e.archived)),
        );
        group.forEach((e, i) => {
          const at = placed[i];
          if (at) locations.set(e.archived.record.id, { id: e.archived.record.id, month, ...at });
        });
      }
      const indexLines = new Map<string, string[]>();
      const addLine = (path: string, line: string) => {
        const lines = indexLines.get(path) ?? [];
        lines.push(line);
        indexLines.set(path, lines);
      };
      const add = (path: string, line: unknown) => addLine(path, JSON.stringify(line));
      for (const { archived, endedAt } of ended) {
        const { record } = archived;
        const location = locations.get(record.id);
        if (!location) throw new Error('an archive line was not placed');
        add(this.#path('ids', `${bucketOf(record.id)}.log`), location);
        if (record.helperId) {
          const entry: HelperEntry = { ...location, endedAt, createdAt: record.createdAt };
          add(this.#path('helpers', `${safeName(record.helperId)}.log`), entry);
        }
        for (const entry of visitorEntries(record, location)) {
          add(this.#path('visitors', `${bucketOf(entry.key)}.log`), entry);
        }
        const search = searchLine(archived);
        if (search) addLine(searchLogPath(this.#dir), search);
        const report = reportLine(archived);
        if (report) addLine(reportLogPath(this.#dir), report);
      }
      await Promise.all([...indexLines].map(([path, lines]) => appendLines(path, lines)));
      for (const { archived } of ended) this.#remember(deepFreeze(archived));
    });
  }

  async get(id: string): Promise<Archived | undefined> {
    const cached = this.#recent.get(id);
    if (cached) return cached;
    const { lines } = await readLines(this.#path('ids', `${bucketOf(id)}.log`));
    const location = parsed<Location>(lines).findLast((entry) => entry.id === id);
    if (!location) return undefined;
    const archived = await this.#read(location);
    this.#remember(archived);
    return archived;
  }

  /**
   * Several conversations at once, as a page of search results needs them: each id bucket is
   * read once for the lot. Ids not archived are left out.
   */
  async getMany(ids: readonly string[]): Promise<Map<string, Archived>> {
    const found = new Map<string, Archived>();
    const wanted = new Map<string, string[]>();
    for (const id of ids) {
      const cached = this.#recent.get(id);
      if (cached) found.set(id, cached);
      else wanted.set(bucketOf(id), [...(wanted.get(bucketOf(id)) ?? []), id]);
    }
    for (const [bucket, inBucket] of wanted) {
      const { lines } = await readLines(this.#path('ids', `${bucket}.log`));
      const latest = new Map<string, Location>();
      const sought = new Set(inBucket);
      for (const entry of parsed<Location>(lines))
        if (sought.has(entry.id)) latest.set(entry.id, entry);
      for (const location of latest.values()) found.set(location.id, await this.read(location));
    }
    return found;
  }

  /** Every archived conversation, file by file, in the order archived (for one-off rebuilds). */
  async *all(): AsyncGenerator<Archived> {
    for await (const { archived } of this.allPlaced()) yield archived;
  }

  /** Like `all`, with where each one lies (for rebuilding an index that points at them). */
  async *allPlaced(): AsyncGenerator<{ archived: Archived; location: Location }> {
    const dir = join(this.#dir, 'conversations');
    const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.log')).sort();
    for (const name of files) {
      const month = name.slice(0, -'.log'.length);
      for await (const { text, offset, length } of placedLines(join(dir, name))) {
        const [archived] = parsed<Archived>([text]);
        if (!archived) continue;
        yield { archived, location: { id: archived.record.id, month, offset, length } };
      }
    }
  }

  /** Where each of a helper's ended conversations lies, newest ended first. */
  async entriesForHelper(helperId: string): Promise<HelperEntry[]> {
    const { lines } = await readLines(this.#path('helpers', `${safeName(helperId)}.log`));
    const latest = new Map<string, HelperEntry>();
    for (const entry of parsed<HelperEntry>(lines)) latest.set(entry.id, entry);
    return newestEndedFirst([...latest.values()]);
  }

  /** Where a visitor key's ended conversations lie, newest ended first. */
  async entriesForVisitor(key: string): Promise<VisitorEntry[]> {
    const { lines } = await readLines(this.#path('visitors', `${bucketOf(key)}.log`));
    const latest = new Map<string, VisitorEntry>();
    for (const entry of parsed<VisitorEntry>(lines))
      if (entry.key === key) latest.set(entry.id, entry);
    return newestEndedFirst([...latest.values()]);
  }

  /** The conversation an index entry points at. */
  async read(location: Location): Promise<Archived> {
    const cached = this.#recent.get(location.id);
    if (cached) return cached;
    const archived = await this.#read(location);
    this.#remember(archived);
    return archived;
  }

  async #read(location: Location): Promise<Archived> {
    const text = await readPlaced(this.#path('conversations', `${location.month}.log`), location);
    // Kept in the recent-reads cache and handed out as is: frozen, like the hot records.
    return deepFreeze(JSON.parse(text) as Archived);
  }

  #remember(archived: Archived): void {
    this.#recent.delete(archived.record.id);
    this.#recent.set(archived.record.id, archived);
    if (this.#recent.size > 64) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
  }

  #path(kind: string, name: string): string {
    return join(this.#dir, kind, name);
  }
}

/** Newest ended first; ties broken the same way every time. */
export function newestEndedFirst<T extends { endedAt: string; createdAt: string; id: string }>(
  entries: T[],
): T[] {
  const key = (e: T) => `${e.endedAt}|${e.createdAt}|${e.id}`;
  return entries.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

/** The visitors' index lines for an archived conversation: one per key it is found by. */
export function visitorEntries(record: ConversationRecord, location: Location): VisitorEntry[] {
  const endedAt = record.endedAt ?? record.createdAt;
  return visitorKeys(record).map((key) => ({
    key,
    ...location,
    endedAt,
    createdAt: record.createdAt,
  }));
}

/** 16 buckets: a batch touches few files, and a lookup reads a sixteenth of the index. */
export function bucketOf(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 1);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}

/** Helper ids are ours (UUIDs); anything else is hashed rather than trusted as a file name. */
function safeName(id: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

async function endsWithNewline(file: FileHandle, size: number): Promise<boolean> {
  const last = Buffer.alloc(1);
  await file.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** Index lines that parse; a torn one (a crash mid-append, never acknowledged) is skipped. */
function parsed<T>(lines: string[]): T[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}

/** Appends lines to a file and fdatasyncs it; returns where each landed. */
async function appendLines(path: string, lines: string[]): Promise<Placed[]> {
  await mkdir(dirname(path), { recursive: true });
  // a+: appends, and lets us look at the last byte.
  const file = await open(path, 'a+');
  try {
    let { size } = await file.stat();
    // A crash may have torn the last line: start on a line of our own after it.
    const lead = size > 0 && !(await endsWithNewline(file, size)) ? '\n' : '';
    size += lead.length;
    const texts = lines.map((line) => `${line}\n`);
    const buffer = Buffer.from(lead + texts.join(''));
    await file.write(buffer, 0, buffer.length, null);
    await file.datasync();
    if (size === 0) await syncDirectory(dirname(path));
    let offset = size;
    return texts.map((text) => {
      const bytes = Buffer.byteLength(text);
      const placed = { offset, length: bytes - 1 };
      offset += bytes;
      return placed;
    });
  } finally {
    await file.close();
  }
}
