/**
 * The archive's visitors' index (`visitors/<h>.log`, see archive.ts) is appended to as
 * conversations are archived. An archive written before that index existed, wholly or in
 * part, holds conversations it does not list: a returning visitor would not be shown them,
 * though their verified user id was stored all along. So the first start that finds the index
 * without its `complete` mark builds it again from every archived conversation, beside the old
 * one, and puts it in place whole, marked: it runs once, and a crash midway only means it runs
 * again at the next start.
 */
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Archive, bucketOf, visitorEntries } from './archive.ts';
import { exists, syncDirectory } from './durable-json-file.ts';

/** The mark of an index that lists every archived conversation. */
export const VISITOR_INDEX_COMPLETE = 'complete';

/** Index lines held in memory before they are written out. */
const BATCH = 1000;

/** Makes sure the visitors' index lists every archived conversation; call before archiving. */
export async function completeVisitorIndex(archiveDir: string, archive: Archive): Promise<void> {
  const dir = join(archiveDir, 'visitors');
  if (await exists(join(dir, VISITOR_INDEX_COMPLETE))) return;
  const building = `${dir}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const written = new Set<string>();
  let held = new Map<string, string[]>();
  let count = 0;
  const flush = async () => {
    for (const [path, lines] of held) {
      const file = await open(path, 'a');
      try {
        await file.write(`${lines.join('\n')}\n`);
      } finally {
        await file.close();
      }
      written.add(path);
    }
    held = new Map();
    count = 0;
  };
  for await (const { archived, location } of archive.allPlaced()) {
    for (const entry of visitorEntries(archived.record, location)) {
      const path = join(building, `${bucketOf(entry.key)}.log`);
      const lines = held.get(path) ?? [];
      lines.push(JSON.stringify(entry));
      held.set(path, lines);
      count++;
    }
    if (count >= BATCH) await flush();
  }
  await flush();
  for (const path of written) {
    const file = await open(path, 'r+');
    try {
      await file.datasync();
    } finally {
      await file.close();
    }
  }
  await writeFile(join(building, VISITOR_INDEX_COMPLETE), '');
  await syncDirectory(building);
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  await syncDirectory(archiveDir);
}
