/**
 * The local store's reports on disk: `archive/reports/entries.log`, one report entry
 * (report-entry.ts) per archived conversation, appended by the archive in the same batch as
 * its other indexes. At start-up these lines are all that is read to rebuild the reports in
 * memory (report-index.ts); conversations ended but not archived yet come from the journal.
 */
import { join } from 'node:path';
import { type ReportEntry, reportEntry } from '../domain/report-entry.ts';
import type { Archived } from './archive.ts';
import { readDerivedLog } from './derived-log.ts';

/** Where the log lies under the archive's directory. */
export function reportLogPath(archiveDir: string): string {
  return join(archiveDir, 'reports', 'entries.log');
}

/** The log line for an archived conversation. */
export function reportLine({ record }: Archived): string | undefined {
  const entry = reportEntry(record);
  return entry && JSON.stringify(entry);
}

/**
 * Every entry in the log, the last line per conversation winning (archiving one twice after a
 * crash writes it twice). A store archived before reports existed has no log: it is built
 * once, here, from every archived conversation, and is in place (renamed in whole) before
 * anything is archived again; every later start reads just it.
 */
export async function loadReportLog(
  archiveDir: string,
  archived: () => AsyncIterable<Archived>,
): Promise<Map<string, ReportEntry>> {
  const entries = new Map<string, ReportEntry>();
  const log = readDerivedLog(reportLogPath(archiveDir), parse, reportLine, archived);
  for await (const entry of log) entries.set(entry.id, entry);
  return entries;
}

/** A line that parses; a torn last one (a crash mid-append, never acknowledged) does not. */
function parse(text: string): ReportEntry | undefined {
  const entry = JSON.parse(text) as ReportEntry;
  return typeof entry.id === 'string' && typeof entry.hour === 'string' ? entry : undefined;
}
