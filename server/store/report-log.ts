/**
 * The local store's reports on disk: `archive/reports/entries.log`, one report entry
 * (report-entry.ts) per archived conversation, appended by the archive in the same batch as
 * its other indexes. At start-up these lines are all that is read to rebuild the reports in
 * memory (report-index.ts); conversations ended but not archived yet come from the journal.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ReportEntry, reportEntry } from '../domain/report-entry.ts';
import type { Archived } from './archive.ts';
import { syncDirectory } from './durable-json-file.ts';

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
  const path = reportLogPath(archiveDir);
  if (!(await exists(path))) await build(path, archived());
  const entries = new Map<string, ReportEntry>();
  for await (const text of createInterface({ input: createReadStream(path) })) {
    const entry = parse(text);
    if (entry) entries.set(entry.id, entry);
  }
  return entries;
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
      const line = reportLine(conversation);
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
function parse(text: string): ReportEntry | undefined {
  try {
    const entry = JSON.parse(text) as ReportEntry;
    return typeof entry.id === 'string' && typeof entry.hour === 'string' ? entry : undefined;
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
