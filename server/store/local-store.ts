import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Author, CannedReply, Message } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import type { HelperAccount, HelperPrefs, SessionRecord } from '../domain/helper-types.ts';
import type { HourBucket } from '../domain/report-bucket.ts';
import { type ReportEntry, reportEntry } from '../domain/report-entry.ts';
import { visitorKeys } from '../domain/returning-visitor.ts';
import { queryTerms } from '../domain/search-text.ts';
import { Archive, type Archived, type HelperEntry, newestEndedFirst } from './archive.ts';
import { DeskDocument } from './desk-document.ts';
import { removeTempFiles } from './durable-json-file.ts';
import { frozenCopy } from './frozen.ts';
import { HelperAccounts } from './helper-accounts.ts';
import type { HotConversation, JournalEntry } from './hot-state.ts';
import { Journal } from './journal.ts';
import { migrateOldLayout } from './migrate-v1.ts';
import { ReportIndex } from './report-index.ts';
import { loadReportLog } from './report-log.ts';
import { SearchIndex } from './search-index.ts';
import { loadSearchLog, searchDoc } from './search-log.ts';
import {
  type MessageDraft,
  type ReadMarks,
  StaleVersionError,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from './store.ts';
import { completeVisitorIndex } from './visitor-index.ts';

export interface LocalStoreOptions {
  /** How long an ended conversation stays in memory (for the visitor's last look) before it is archived. */
  archiveAfterMs: number;
  /** The journal is rewritten to hold just the open conversations once it grows past this. */
  compactBytes: number;
}

/** Conversations archived together: each archive file is written once per batch. */
const ARCHIVE_BATCH = 500;

const DEFAULTS: LocalStoreOptions = { archiveAfterMs: 10 * 60_000, compactBytes: 8 * 1024 * 1024 };

/**
 * The default store, embedded, needing no other service. Under one data directory:
 * - `helpers.json`, `desk.json`: small whole documents (lowdb) — accounts; preferences and
 *   sessions. `helpers.json` is also written by `npm run volunteer`, under a lock that holds
 *   across processes.
 * - `journal/`: open conversations, their messages and read marks, appended with group commit
 *   and compacted to the size of what is open (journal.ts).
 * - `archive/`: ended conversations, appended once, never rewritten (archive.ts), with the
 *   search terms of each (search-log.ts), kept in memory as an inverted index for history
 *   search (search-index.ts).
 * Every write resolves only once it is on disk. Cost per change does not grow with history or
 * with a conversation's length.
 */
export class LocalStore implements Store {
  readonly #helpers: HelperAccounts;
  readonly #desk: DeskDocument;
  readonly #journal: Journal;
  readonly #archive: Archive;
  readonly #search: SearchIndex;
  readonly #reports: ReportIndex;
  readonly #options: LocalStoreOptions;
  /** Messages whose first write is still on its way to disk, so a resend waits for it. */
  readonly #writing = new Map<string, Promise<void>>();
  #archiving: Promise<void> | undefined;
  #archiveTimer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    helpers: HelperAccounts,
    desk: DeskDocument,
    journal: Journal,
    archive: Archive,
    search: SearchIndex,
    reports: ReportIndex,
    options: LocalStoreOptions,
  ) {
    this.#helpers = helpers;
    this.#desk = desk;
    this.#journal = journal;
    this.#archive = archive;
    this.#search = search;
    this.#reports = reports;
    this.#options = options;
  }

  /** Opens (creating if needed) the store in `dataDir`. */
  static async open(
    dataDir: string,
    options: Partial<LocalStoreOptions> = {},
  ): Promise<LocalStore> {
    const settings = { ...DEFAULTS, ...options };
    await mkdir(dataDir, { recursive: true });
    await removeTempFiles(dataDir);
    const helpers = new HelperAccounts(dataDir);
    helpers.watch();
    const desk = await DeskDocument.open(dataDir);
    const journal = await Journal.open(join(dataDir, 'journal'), settings);
    const archive = new Archive(join(dataDir, 'archive'));
    await completeVisitorIndex(join(dataDir, 'archive'), archive);
    const search = await openSearchIndex(join(dataDir, 'archive'), archive, journal);
    const reports = await openReportIndex(join(dataDir, 'archive'), archive, journal);
    const store = new LocalStore(helpers, desk, journal, archive, search, reports, settings);
    await migrateOldLayout(dataDir, store, desk);
    store.#scheduleArchiving();
    return store;
  }

  // Helpers, preferences, sessions: small whole documents --------------------------------

  listHelpers(): Promise<HelperAccount[]> {
    return this.#helpers.list();
  }

  async getHelper(id: string): Promise<HelperAccount | undefined> {
    const find = (helpers: HelperAccount[]) => helpers.find((helper) => helper.id === id);
    // One not found is looked for again in the file itself: it may have just been added.
    return find(await this.#helpers.list()) ?? find(await this.#helpers.list({ fresh: true }));
  }

  async findHelperByName(name: string): Promise<HelperAccount | undefined> {
    const wanted = name.toLocaleLowerCase();
    const find = (helpers: HelperAccount[]) =>
      helpers.find((h) => h.name.toLocaleLowerCase() === wanted);
    return find(await this.#helpers.list()) ?? find(await this.#helpers.list({ fresh: true }));
  }

  addHelper(account: HelperAccount): Promise<void> {
    return this.#helpers.add(account);
  }

  removeHelper(name: string): Promise<HelperAccount | undefined> {
    return this.#helpers.remove(name);
  }

  getHelperPrefs(id: string): Promise<HelperPrefs> {
    return this.#desk.getPrefs(id);
  }

  setHelperPrefs(id: string, prefs: HelperPrefs): Promise<void> {
    return this.#desk.setPrefs(id, prefs);
  }

  listCannedReplies(): Promise<CannedReply[]> {
    return this.#desk.listCanned();
  }

  putCannedReply(reply: CannedReply): Promise<void> {
    return this.#desk.putCanned(reply);
  }

  deleteCannedReply(id: string): Promise<boolean> {
    return this.#desk.deleteCanned(id);
  }

  putSession(session: SessionRecord): Promise<void> {
    return this.#desk.putSession(session);
  }

  getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    return this.#desk.getSession(tokenHash);
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.#desk.deleteSession(tokenHash);
  }

  deleteSessionsOf(helperId: string): Promise<string[]> {
    return this.#desk.deleteSessionsOf(helperId);
  }

  // Conversations -------------------------------------------------------------------------

  async createConversation(record: ConversationRecord): Promise<void> {
    if (this.#journal.hot.get(record.id)) {
      throw new StoreConflictError(`conversation ${record.id} exists`);
    }
    await this.#journal.append({ t: 'conv', record: frozenCopy(record) });
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const hot = this.#journal.hot.get(id);
    if (hot) return hot.record;
    return (await this.#archive.get(id))?.record;
  }

  async findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | undefined> {
    return this.#journal.hot.byTokenHash(tokenHash)?.record;
  }

  async findOpenConversationByJoinCode(code: string): Promise<ConversationRecord | undefined> {
    return this.#journal.hot.byOpenJoinCode(code)?.record;
  }

  async listOpenConversations(): Promise<ConversationRecord[]> {
    const open: ConversationRecord[] = [];
    for (const hot of this.#journal.hot.conversations.values()) {
      if (hot.record.status !== 'ended') open.push(hot.record);
    }
    return open;
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    const hot = this.#journal.hot.get(record.id);
    if (!hot) {
      if (await this.#archive.get(record.id)) {
        throw new StaleVersionError(`conversation ${record.id} is archived`);
      }
      throw new StoreNotFoundError(`no conversation ${record.id}`);
    }
    if (hot.record.version !== record.version - 1) {
      throw new StaleVersionError(`conversation ${record.id} is at version ${hot.record.version}`);
    }
    const ending = record.status === 'ended' && hot.record.status !== 'ended';
    // The check and the change happen in one turn of the event loop: a second save from the
    // same version, arriving meanwhile, sees the new version and is refused.
    await this.#journal.append({ t: 'conv', record: frozenCopy(record) });
    if (record.status !== 'ended') return;
    // Counted from its end, and again (in place) when rated: the journal keeps it meanwhile.
    const entry = reportEntry(record);
    if (entry) this.#reports.put(entry);
    // Searchable from its end: an ended conversation gets no more messages, so its terms are
    // final (a rating changes nothing searched). Kept on disk by the journal until archived.
    const doc = ending ? searchDoc(record, hot.messages) : undefined;
    if (doc) this.#search.add(doc);
    this.#scheduleArchiving(record.endedAt);
  }

  async listEndedConversations(
    helperId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]> {
    // Ended but not archived yet: still in memory. While one is being archived it is in both.
    const recent = [...this.#journal.hot.conversations.values()]
      .map((hot) => hot.record)
      .filter((r) => r.status === 'ended' && r.helperId === helperId);
    const inMemory = new Map(recent.map((r) => [r.id, r]));
    const archived = (await this.#archive.entriesForHelper(helperId)).filter(
      (entry) => !inMemory.has(entry.id),
    );
    const listed = [
      ...recent.map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        endedAt: r.endedAt ?? r.createdAt,
        load: async () => r,
      })),
      ...archived.map((entry) => ({
        ...entry,
        load: async () => (await this.#archive.read(entry)).record,
      })),
    ];
    const all = newestEndedFirst(listed);
    const from = page.after ? all.findIndex((e) => e.id === page.after) + 1 : 0;
    return Promise.all(all.slice(from, from + page.limit).map((entry) => entry.load()));
  }

  async listVisitorEndedConversations(
    keys: string[],
    limit: number,
  ): Promise<ConversationRecord[]> {
    const wanted = new Set(keys);
    const recent = [...this.#journal.hot.conversations.values()]
      .map((hot) => hot.record)
      .filter((r) => r.status === 'ended' && visitorKeys(r).some((key) => wanted.has(key)));
    const inMemory = new Map(recent.map((r) => [r.id, r]));
    const archived = new Map<string, HelperEntry>();
    for (const key of wanted) {
      for (const entry of await this.#archive.entriesForVisitor(key)) {
        if (!inMemory.has(entry.id)) archived.set(entry.id, entry);
      }
    }
    const listed = newestEndedFirst([
      ...recent.map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        endedAt: r.endedAt ?? r.createdAt,
        load: async () => r,
      })),
      ...[...archived.values()].map((entry) => ({
        ...entry,
        load: async () => (await this.#archive.read(entry)).record,
      })),
    ]);
    return Promise.all(listed.slice(0, limit).map((entry) => entry.load()));
  }

  async searchEndedConversations(
    helperId: string,
    query: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]> {
    const ids = this.#search.search(helperId, queryTerms(query), page);
    const archived = await this.#archive.getMany(ids.filter((id) => !this.#journal.hot.get(id)));
    const records: ConversationRecord[] = [];
    for (const id of ids) {
      // One archived while the others were read is found on the slow path.
      const record =
        this.#journal.hot.get(id)?.record ??
        archived.get(id)?.record ??
        (await this.getConversation(id));
      if (record) records.push(record);
    }
    return records;
  }

  async readReportHours(first: string, last: string): Promise<HourBucket[]> {
    return this.#reports.hours(first, last);
  }

  async listReportEntries(first: string, last: string, limit: number): Promise<ReportEntry[]> {
    return this.#reports.entries(first, last, limit);
  }

  // Messages ------------------------------------------------------------------------------

  async appendMessage(
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: Message; duplicate: boolean }> {
    const hot = this.#journal.hot.get(conversationId);
    if (!hot) throw new StoreNotFoundError(`no open conversation ${conversationId}`);
    const key = `${conversationId}/${draft.id}`;
    const existing = hot.byId.get(draft.id);
    if (existing) {
      // The first write may still be on its way to disk: a resend is acked only after it.
      await this.#writing.get(key);
      return { message: { ...existing }, duplicate: true };
    }
    const message: Message = {
      ...draft,
      conversationId,
      seq: (hot.messages.at(-1)?.seq ?? 0) + 1,
      sentAt: new Date().toISOString(),
    };
    const written = this.#journal.append({ t: 'msg', message: { ...message } });
    this.#writing.set(key, written);
    try {
      await written;
    } finally {
      this.#writing.delete(key);
    }
    return { message, duplicate: false };
  }

  async listMessages(
    conversationId: string,
    after?: string,
    limit: number = LIMITS.historyPage,
  ): Promise<Message[]> {
    const { messages, byId } = await this.#messagesOf(conversationId);
    const from = after ? (byId.get(after)?.seq ?? 0) : 0;
    // Sequence numbers run from 1 without gaps, so the first wanted one is at index `from`.
    const start = messages[from - 1]?.seq === from ? from : messages.findIndex((m) => m.seq > from);
    if (start < 0) return [];
    return messages.slice(start, start + limit).map((m) => ({ ...m }));
  }

  async getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
    const message = (await this.#messagesOf(conversationId)).byId.get(messageId);
    return message && { ...message };
  }

  async getReadMarks(conversationId: string): Promise<ReadMarks> {
    const hot = this.#journal.hot.get(conversationId);
    if (hot) return { ...hot.readMarks };
    return { ...(await this.#archive.get(conversationId))?.readMarks };
  }

  async setReadMark(conversationId: string, by: Author, upTo: string): Promise<void> {
    // An archived conversation is finished; its read marks no longer matter to anyone.
    if (!this.#journal.hot.get(conversationId)) return;
    await this.#journal.append({ t: 'read', conversationId, by, upTo });
  }

  /** Brings in a conversation from elsewhere (the old layout), whole; twice is harmless. */
  async importConversation({ record, messages, readMarks }: Archived): Promise<void> {
    if (record.status === 'ended') {
      await this.#archive.putMany([{ record, messages, readMarks }]);
      const doc = searchDoc(record, messages);
      if (doc) this.#search.add(doc);
      const entry = reportEntry(record);
      if (entry) this.#reports.put(entry);
      return;
    }
    const entries: JournalEntry[] = [
      { t: 'conv', record },
      ...messages.map((message) => ({ t: 'msg', message }) as const),
      ...(['visitor', 'helper'] as const).flatMap((by) => {
        const upTo = readMarks[by];
        return upTo ? [{ t: 'read', conversationId: record.id, by, upTo } as const] : [];
      }),
    ];
    // Appended together: one group commit for the lot, in this order.
    await Promise.all(entries.map((entry) => this.#journal.append(entry)));
  }

  /** Archives ended conversations whose time in memory is up; for tests, all of them now. */
  async archiveEnded(now = Date.now()): Promise<void> {
    if (this.#archiving) return this.#archiving;
    const due = [...this.#journal.hot.conversations.values()].filter(
      (hot) =>
        hot.record.status === 'ended' &&
        Date.parse(hot.record.endedAt ?? hot.record.createdAt) + this.#options.archiveAfterMs <=
          now,
    );
    if (due.length === 0 || this.#closed) return;
    this.#archiving = (async () => {
      for (let start = 0; start < due.length; start += ARCHIVE_BATCH) {
        const batch = due.slice(start, start + ARCHIVE_BATCH);
        await this.#archive.putMany(
          batch.map((hot) => ({
            record: hot.record,
            messages: hot.messages.map((m) => ({ ...m })),
            readMarks: { ...hot.readMarks },
          })),
        );
        // Only once the archive holds them does the journal let them go.
        await Promise.all(
          batch.map((hot) =>
            this.#journal.append({ t: 'archived', conversationId: hot.record.id }),
          ),
        );
      }
    })().finally(() => {
      this.#archiving = undefined;
    });
    return this.#archiving;
  }

  /** How much is held in memory; for tests and diagnostics. */
  stats(): { hotConversations: number; searchable: number; reported: number } {
    return {
      hotConversations: this.#journal.hot.conversations.size,
      searchable: this.#search.size,
      reported: this.#reports.size,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#archiveTimer);
    this.#archiveTimer = undefined;
    await Promise.allSettled([...this.#writing.values(), this.#archiving]);
    await this.#journal.close();
    await this.#helpers.close();
  }

  // Internals -----------------------------------------------------------------------------

  async #messagesOf(conversationId: string): Promise<Pick<HotConversation, 'messages' | 'byId'>> {
    const hot = this.#journal.hot.get(conversationId);
    if (hot) return hot;
    const archived = await this.#archive.get(conversationId);
    if (!archived) throw new StoreNotFoundError(`no conversation ${conversationId}`);
    return { messages: archived.messages, byId: new Map(archived.messages.map((m) => [m.id, m])) };
  }

  /**
   * Wakes up when the earliest ended conversation is due for the archive. A conversation that
   * ends while a wake-up is set ends later than the one that set it, so it changes nothing:
   * ending costs nothing here, however many conversations end at once.
   */
  #scheduleArchiving(endedAt?: string): void {
    if (this.#closed || this.#archiveTimer) return;
    let earliest = endedAt ? Date.parse(endedAt) : Number.POSITIVE_INFINITY;
    if (!endedAt) {
      for (const hot of this.#journal.hot.conversations.values()) {
        if (hot.record.status !== 'ended') continue;
        earliest = Math.min(earliest, Date.parse(hot.record.endedAt ?? hot.record.createdAt));
      }
    }
    if (!Number.isFinite(earliest)) return;
    const wait = Math.max(0, earliest + this.#options.archiveAfterMs - Date.now());
    this.#archiveTimer = setTimeout(() => {
      this.#archiveTimer = undefined;
      this.archiveEnded()
        .catch((error: unknown) => console.error('archiving ended conversations failed', error))
        .finally(() => this.#scheduleArchiving());
    }, wait);
    this.#archiveTimer.unref();
  }
}

/**
 * The history search index: the archive's search log (built once from the archive when a
 * store from before it has none), then the ended conversations still in the journal, which
 * replace any copy of theirs in the log (archived, but the crash came before the journal
 * let them go).
 */
async function openSearchIndex(
  archiveDir: string,
  archive: Archive,
  journal: Journal,
): Promise<SearchIndex> {
  const docs = await loadSearchLog(archiveDir, () => archive.all());
  for (const hot of journal.hot.conversations.values()) {
    if (hot.record.status !== 'ended') continue;
    const doc = searchDoc(hot.record, hot.messages);
    if (!doc) continue;
    docs.delete(doc.id);
    docs.set(doc.id, doc);
  }
  const index = new SearchIndex();
  index.addMany(docs.values());
  return index;
}

/**
 * The reports: the archive's report log (built once from the archive when a store from
 * before it has none), then the ended conversations still in the journal, whose latest
 * record (rated since, perhaps) replaces any copy of theirs in the log.
 */
async function openReportIndex(
  archiveDir: string,
  archive: Archive,
  journal: Journal,
): Promise<ReportIndex> {
  const entries = await loadReportLog(archiveDir, () => archive.all());
  for (const hot of journal.hot.conversations.values()) {
    const entry = reportEntry(hot.record);
    if (entry) entries.set(entry.id, entry);
  }
  const index = new ReportIndex();
  for (const entry of entries.values()) index.put(entry);
  return index;
}
