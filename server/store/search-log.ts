/**
 * The local store's search index on disk: `archive/search/terms.log`, one line per archived
 * conversation with its search terms, appended by the archive in the same batch as its other
 * indexes. At start-up these lines are all that is read to rebuild the index in memory (no
 * conversation is opened); conversations ended but not archived yet come from the journal.
 */
import { join } from 'node:path';
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import { searchTerms } from '../domain/search-text.ts';
import type { Archived } from './archive.ts';
import { readDerivedLog } from './derived-log.ts';
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
  const docs = new Map<string, SearchDoc>();
  for await (const line of readDerivedLog(searchLogPath(archiveDir), parse, searchLine, archived)) {
    docs.delete(line.id);
    docs.set(line.id, { ...line, terms: line.terms ? line.terms.split(' ') : [] });
  }
  return docs;
}

/** A line that parses; a torn last one (a crash mid-append, never acknowledged) does not. */
function parse(text: string): SearchLine | undefined {
  const line = JSON.parse(text) as SearchLine;
  return typeof line.id === 'string' && typeof line.terms === 'string' ? line : undefined;
}
