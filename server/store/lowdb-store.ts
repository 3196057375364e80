import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Author, Message } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { DurableJsonFile } from './durable-json-file.ts';
import { SerialQueue } from '../serial-queue.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import type { HelperAccount, HelperPrefs, SessionRecord } from '../domain/helper-types.ts';
import {
  type MessageDraft,
  type ReadMarks,
  StaleVersionError,
  type Store,
  StoreConflictError,
  StoreNotFoundError,
} from './store.ts';

/** Written by the server only. Conversation summaries, helper preferences, sessions. */
interface IndexFile {
  version: 1;
  conversations: ConversationRecord[];
  prefs: Record<string, HelperPrefs>;
  sessions: SessionRecord[];
}

/** Written by `npm run volunteer` as well as the server, so it is re-read before each use. */
interface HelpersFile {
  helpers: HelperAccount[];
}

/** One per conversation, so a chat message never rewrites anything but its own history. */
interface ConversationFile {
  id: string;
  messages: Message[];
  readMarks: ReadMarks;
}

interface LoadedConversation {
  id: string;
  db: Low<ConversationFile>;
  byId: Map<string, Message>;
}

const DEFAULT_PREFS: HelperPrefs = { availability: 'away', capacity: 3 };

/**
 * The default store: lowdb over durable JSON files under one data directory.
 * `index.json` + `helpers.json` + `conversations/<id>.json`.
 */
export class LowdbStore implements Store {
  readonly #index: Low<IndexFile>;
  readonly #helpers: Low<HelpersFile>;
  readonly #helpersQueue = new SerialQueue();
  readonly #conversationsDir: string;
  readonly #conversations = new Map<string, ConversationRecord>();
  readonly #byTokenHash = new Map<string, ConversationRecord>();
  readonly #loaded = new Map<string, Promise<LoadedConversation>>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #lastWrite = new Map<string, Promise<void>>();

  private constructor(dataDir: string) {
    this.#index = new Low(new DurableJsonFile<IndexFile>(join(dataDir, 'index.json')), {
      version: 1,
      conversations: [],
      prefs: {},
      sessions: [],
    });
    this.#helpers = new Low(new DurableJsonFile<HelpersFile>(join(dataDir, 'helpers.json')), {
      helpers: [],
    });
    this.#conversationsDir = join(dataDir, 'conversations');
  }

  /** Opens (creating if needed) the store in `dataDir`. */
  static async open(dataDir: string): Promise<LowdbStore> {
    const store = new LowdbStore(dataDir);
    await mkdir(store.#conversationsDir, { recursive: true });
    await store.#index.read();
    for (const record of store.#index.data.conversations) {
      // Written before conversations had versions.
      record.version ??= 1;
      store.#remember(record);
    }
    return store;
  }

  // Helpers -----------------------------------------------------------------------------

  listHelpers(): Promise<HelperAccount[]> {
    return this.#helpersQueue.run(async () => {
      await this.#helpers.read();
      return [...this.#helpers.data.helpers];
    });
  }

  async getHelper(id: string): Promise<HelperAccount | undefined> {
    return (await this.listHelpers()).find((helper) => helper.id === id);
  }

  async findHelperByName(name: string): Promise<HelperAccount | undefined> {
    const wanted = name.toLocaleLowerCase();
    return (await this.listHelpers()).find((h) => h.name.toLocaleLowerCase() === wanted);
  }

  addHelper(account: HelperAccount): Promise<void> {
    return this.#helpersQueue.run(async () => {
      await this.#helpers.read();
      const wanted = account.name.toLocaleLowerCase();
      if (this.#helpers.data.helpers.some((h) => h.name.toLocaleLowerCase() === wanted)) {
        throw new StoreConflictError(`a helper named "${account.name}" already exists`);
      }
      this.#helpers.data.helpers.push(account);
      await this.#helpers.write();
    });
  }

  removeHelper(name: string): Promise<HelperAccount | undefined> {
    return this.#helpersQueue.run(async () => {
      await this.#helpers.read();
      const wanted = name.toLocaleLowerCase();
      const found = this.#helpers.data.helpers.find((h) => h.name.toLocaleLowerCase() === wanted);
      if (!found) return undefined;
      this.#helpers.data.helpers = this.#helpers.data.helpers.filter((h) => h !== found);
      await this.#helpers.write();
      return found;
    });
  }

  async getHelperPrefs(id: string): Promise<HelperPrefs> {
    return { ...(this.#index.data.prefs[id] ?? DEFAULT_PREFS) };
  }

  setHelperPrefs(id: string, prefs: HelperPrefs): Promise<void> {
    this.#index.data.prefs[id] = { ...prefs };
    return this.#writeIndex();
  }

  // Sessions ----------------------------------------------------------------------------

  putSession(session: SessionRecord): Promise<void> {
    const now = new Date().toISOString();
    // Expired sessions are dropped whenever a new one is stored, so the list stays small.
    this.#index.data.sessions = this.#index.data.sessions.filter((s) => s.expiresAt > now);
    this.#index.data.sessions.push(session);
    return this.#writeIndex();
  }

  async getSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const session = this.#index.data.sessions.find((s) => s.tokenHash === tokenHash);
    return session && session.expiresAt > new Date().toISOString() ? { ...session } : undefined;
  }

  deleteSession(tokenHash: string): Promise<void> {
    this.#index.data.sessions = this.#index.data.sessions.filter((s) => s.tokenHash !== tokenHash);
    return this.#writeIndex();
  }

  async deleteSessionsOf(helperId: string): Promise<string[]> {
    const gone = this.#index.data.sessions.filter((s) => s.helperId === helperId);
    if (gone.length === 0) return [];
    this.#index.data.sessions = this.#index.data.sessions.filter((s) => s.helperId !== helperId);
    await this.#writeIndex();
    return gone.map((s) => s.tokenHash);
  }

  // Conversations -----------------------------------------------------------------------

  async createConversation(record: ConversationRecord): Promise<void> {
    if (this.#conversations.has(record.id)) {
      throw new StoreConflictError(`conversation ${record.id} exists`);
    }
    const stored = structuredClone(record);
    this.#index.data.conversations.push(stored);
    this.#remember(stored);
    await this.#writeIndex();
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const record = this.#conversations.get(id);
    return record && structuredClone(record);
  }

  async findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | undefined> {
    const record = this.#byTokenHash.get(tokenHash);
    return record && structuredClone(record);
  }

  async findOpenConversationByJoinCode(code: string): Promise<ConversationRecord | undefined> {
    const record = this.#index.data.conversations.find(
      (c) => c.joinCode === code && c.status !== 'ended',
    );
    return record && structuredClone(record);
  }

  async listOpenConversations(): Promise<ConversationRecord[]> {
    return this.#index.data.conversations
      .filter((c) => c.status !== 'ended')
      .map((c) => structuredClone(c));
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    const stored = this.#conversations.get(record.id);
    if (!stored) throw new StoreNotFoundError(`no conversation ${record.id}`);
    if (stored.version !== record.version - 1) {
      throw new StaleVersionError(`conversation ${record.id} is at version ${stored.version}`);
    }
    const copy = structuredClone(record);
    const at = this.#index.data.conversations.indexOf(stored);
    this.#index.data.conversations[at] = copy;
    this.#remember(copy);
    await this.#writeIndex();
    if (record.status === 'ended') this.#releaseWhenWritten(record.id);
  }

  async listEndedConversations(
    helperId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]> {
    const key = (c: ConversationRecord) => `${c.endedAt ?? c.createdAt}|${c.createdAt}|${c.id}`;
    const mine = this.#index.data.conversations
      .filter((c) => c.status === 'ended' && c.helperId === helperId)
      .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
    const from = page.after ? mine.findIndex((c) => c.id === page.after) + 1 : 0;
    return mine.slice(from, from + page.limit).map((c) => structuredClone(c));
  }

  /** How much is held in memory; for tests and diagnostics. */
  stats(): { loadedConversations: number } {
    return { loadedConversations: this.#loaded.size };
  }

  // Messages ----------------------------------------------------------------------------

  async appendMessage(
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: Message; duplicate: boolean }> {
    const loaded = await this.#load(conversationId);
    const existing = loaded.byId.get(draft.id);
    if (existing) {
      // The first write may still be on its way to disk: a resend is acked only after it.
      await this.#writeConversation(loaded);
      return { message: { ...existing }, duplicate: true };
    }
    const messages = loaded.db.data.messages;
    const message: Message = {
      ...draft,
      conversationId,
      seq: (messages.at(-1)?.seq ?? 0) + 1,
      sentAt: new Date().toISOString(),
    };
    messages.push(message);
    loaded.byId.set(message.id, message);
    await this.#writeConversation(loaded);
    return { message: { ...message }, duplicate: false };
  }

  async listMessages(
    conversationId: string,
    after?: string,
    limit: number = LIMITS.historyPage,
  ): Promise<Message[]> {
    const loaded = await this.#load(conversationId);
    const from = after ? (loaded.byId.get(after)?.seq ?? 0) : 0;
    return loaded.db.data.messages
      .filter((m) => m.seq > from)
      .slice(0, limit)
      .map((m) => ({ ...m }));
  }

  async getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
    const message = (await this.#load(conversationId)).byId.get(messageId);
    return message && { ...message };
  }

  async getReadMarks(conversationId: string): Promise<ReadMarks> {
    return { ...(await this.#load(conversationId)).db.data.readMarks };
  }

  async setReadMark(conversationId: string, by: Author, upTo: string): Promise<void> {
    const loaded = await this.#load(conversationId);
    loaded.db.data.readMarks[by] = upTo;
    await this.#writeConversation(loaded);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  // Internals ---------------------------------------------------------------------------

  /** Writes a conversation's file, remembering the write so a release can wait for it. */
  #writeConversation(loaded: LoadedConversation): Promise<void> {
    const write = this.#track(loaded.db.write());
    this.#lastWrite.set(loaded.id, write);
    return write;
  }

  /**
   * An ended conversation leaves memory once its last write is on disk; it is read again from
   * its file if anyone asks. Without this, memory grew with every conversation ever opened.
   */
  #releaseWhenWritten(id: string): void {
    const last = this.#lastWrite.get(id);
    void (last ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        // A later write means someone is still using it: keep it.
        if (this.#lastWrite.get(id) !== last) return;
        this.#loaded.delete(id);
        this.#lastWrite.delete(id);
      });
  }

  #remember(record: ConversationRecord): void {
    this.#conversations.set(record.id, record);
    this.#byTokenHash.set(record.visitorTokenHash, record);
  }

  #writeIndex(): Promise<void> {
    return this.#track(this.#index.write());
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  #load(conversationId: string): Promise<LoadedConversation> {
    if (!this.#conversations.has(conversationId)) {
      return Promise.reject(new StoreNotFoundError(`no conversation ${conversationId}`));
    }
    let loading = this.#loaded.get(conversationId);
    if (!loading) {
      loading = (async () => {
        const file = new DurableJsonFile<ConversationFile>(
          join(this.#conversationsDir, `${conversationId}.json`),
        );
        const db = new Low<ConversationFile>(file, {
          id: conversationId,
          messages: [],
          readMarks: {},
        });
        await db.read();
        return { id: conversationId, db, byId: new Map(db.data.messages.map((m) => [m.id, m])) };
      })();
      this.#loaded.set(conversationId, loading);
      loading.catch(() => this.#loaded.delete(conversationId));
      // Ended conversations are read (history, views) but rarely written: not kept.
      if (this.#conversations.get(conversationId)?.status === 'ended') {
        loading.then(() => this.#releaseWhenWritten(conversationId)).catch(() => undefined);
      }
    }
    return loading;
  }
}
