/**
 * An append-only log the archive keeps beside its conversations for one index (history
 * search's terms, the reports' entries): one JSON line per archived conversation. This file
 * knows the mechanics both share: read every line (a torn last one, never acknowledged, is
 * skipped), and build the log once from the archive for a store that had none.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Archived } from './archive.ts';
import { exists, syncDirectory } from './durable-json-file.ts';

/**
 * Every line of the log at `path` that `parse` accepts, in order. With no log yet (a store
 * archived before this index existed), it is first built from every archived conversation
 * and renamed into place whole, before anything is archived again.
 */
export async function* readDerivedLog<T>(
  path: string,
  parse: (text: string) => T | undefined,
  line: (conversation: Archived) => string | undefined,
  archived: () => AsyncIterable<Archived>,
): AsyncGenerator<T> {
  if (!(await exists(path))) await build(path, archived(), line);
  for await (const text of createInterface({ input: createReadStream(path) })) {
    const parsed = tryParse(text, parse);
    if (parsed !== undefined) yield parsed;
  }
}

function tryParse<T>(text: string, parse: (text: string) => T | undefined): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

async function build(
  path: string,
  archived: AsyncIterable<Archived>,
  line: (conversation: Archived) => string | undefined,
): Promise<void> {
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
      const text = line(conversation);
      if (text) lines.push(text);
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
