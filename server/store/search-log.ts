/**
 * The local store's search index on disk: `archive/search/terms.log`, one line per archived
 * conversation with its search terms, appended by the archive in the same batch as its other
 * indexes. At start-up these lines are all that is read to rebuild the index in memory (no
 * conversation is opened); conversations ended but not archived yet come from the journal.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import { searchTerms } from '../domain/search-text.ts';
import type { Archived } from './archive.ts';
import { syncDirectory } from './durable-json-file.ts';
import type { SearchDoc } from './search-index.ts';

/** One line of the log: terms joined by spaces (a term never has one), for a compact file. */
interface SearchLine {
  id: string;
  helperId: string;
  endedAt: string;
  createdAt: string;
  terms: string;
}

/** Where the log lies under the archive's directory. */
export function searchLogPath(archiveDir: string): string {
  return join(archiveDir, 'search', 'terms.log');
}

/** What the index keeps of an ended conversation; none for one no helper handled. */
export function searchDoc(
  record: ConversationRecord,
  messages: readonly Message[],
): SearchDoc | undefined {
  if (!record.helperId) return undefined;
  return {
    id: record.id,
    helperId: record.helperId,
    endedAt: record.endedAt ?? record.createdAt,
    createdAt: record.createdAt,
    terms: searchTerms(record, messages),
  };
}

/** The log line for an archived conversation, or undefined when it has no place in a history. */
export function searchLine({ record, messages }: Archived): string | undefined {
  const doc = searchDoc(record, messages);
  if (!doc) return undefined;
  const line: SearchLine = { ...doc, terms: doc.terms.join(' ') };
  return JSON.stringify(line);
}

/**
 * Every document in the log, the last line per conversation winning (archiving one twice
 * after a crash writes it twice). A store archived before this log existed has none: the
 * log is then built once, here, by reading every archived conversation, and is in place
 * (renamed in whole) before anything is archived again; every later start reads just it.
 */
export async function loadSearchLog(
  archiveDir: string,
  archived: () => AsyncIterable<Archived>,
): Promise<Map<string, SearchDoc>> {
  const path = searchLogPath(archiveDir);
  if (!(await exists(path))) await build(path, archived());
  const docs = new Map<string, SearchDoc>();
  for await (const text of createInterface({ input: createReadStream(path) })) {
    const line = parse(text);
    if (!line) continue;
    docs.delete(line.id);
    docs.set(line.id, { ...line, terms: line.terms ? line.terms.split(' ') : [] });
  }
  return docs;
}

async function build(path: string, archived: AsyncIterable<Archived>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const building = `${path}.building`;
  // 'w': what a build cut short by a crash left is started over.
  const file = await open(building, 'w');
  try {
    let lines: string[] = [];
    const flush = async () => {
      if (lines.length > 0) await file.write(`${lines.join('\n')}\n`);
      lines = [];
    };
    for await (const conversation of archived) {
      const line = searchLine(conversation);
      if (line) lines.push(line);
      if (lines.length >= 1000) await flush();
    }
    await flush();
    await file.datasync();
  } finally {
    await file.close();
  }
  await rename(building, path);
  await syncDirectory(dirname(path));
}

/** A line that parses; a torn last one (a crash mid-append, never acknowledged) does not. */
function parse(text: string): SearchLine | undefined {
  try {
    const line = JSON.parse(text) as SearchLine;
    return typeof line.id === 'string' && typeof line.terms === 'string' ? line : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
