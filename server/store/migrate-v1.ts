import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import type { HelperPrefs, SessionRecord } from '../domain/helper-types.ts';
import type { Archived } from './archive.ts';
import type { DeskDocument } from './desk-document.ts';
import { syncDirectory } from './durable-json-file.ts';
import type { ReadMarks } from './store.ts';

/** The first layout: everything in index.json, one whole file per conversation. */
interface OldIndex {
  conversations: (Omit<ConversationRecord, 'version'> & { version?: number })[];
  prefs?: Record<string, HelperPrefs>;
  sessions?: SessionRecord[];
}

interface OldConversationFile {
  messages?: Message[];
  readMarks?: ReadMarks;
}

/**
 * Moves a data directory written by the first version (index.json + conversations/*.json)
 * into the journal and the archive, once: open conversations to the journal, ended ones to
 * the archive, preferences and sessions to desk.json. The old files are then renamed to
 * `*.migrated`, kept for whoever wants to check. Run again after a crash, it picks up where
 * it stopped: importing a conversation twice changes nothing.
 */
export async function migrateOldLayout(
  dataDir: string,
  store: { importConversation(archived: Archived): Promise<void> },
  desk: DeskDocument,
): Promise<void> {
  const indexPath = join(dataDir, 'index.json');
  let index: OldIndex;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8')) as OldIndex;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const old of index.conversations) {
    const file = await readFile(join(dataDir, 'conversations', `${old.id}.json`), 'utf8').then(
      (text) => JSON.parse(text) as OldConversationFile,
      () => ({}) as OldConversationFile,
    );
    await store.importConversation({
      record: { ...old, version: old.version ?? 1 },
      messages: file.messages ?? [],
      readMarks: file.readMarks ?? {},
    });
  }
  await desk.replace({ prefs: index.prefs ?? {}, sessions: index.sessions ?? [] });
  await rename(join(dataDir, 'conversations'), join(dataDir, 'conversations.migrated')).catch(
    () => undefined,
  );
  await rename(indexPath, `${indexPath}.migrated`);
  await syncDirectory(dataDir);
  console.log(`moved ${index.conversations.length} conversations to the journal and the archive`);
}
