/**
 * The storage seam: what must last. Small and async so a PostgreSQL store can replace the
 * default one without touching the desk. Every mutating call resolves only once the change
 * is durable. What is live and may be lost on a full restart is in live-state.ts.
 */
import type { Author, CannedReply, Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import type { HelperAccount, HelperPrefs, SessionRecord } from '../domain/helper-types.ts';
import type { HourBucket } from '../domain/report-bucket.ts';
import type { ReportEntry } from '../domain/report-entry.ts';

export interface MessageDraft {
  id: string;
  from: Author;
  authorName: string;
  text: string;
  internal?: true;
}

import type { ReadMarks } from '../domain/views.ts';

export type { ReadMarks };

/**
 * Records and messages a store hands out are read-only snapshots, shared rather than copied
 * (a local store freezes them): a change is made by saving a new version.
 */
export interface Store {
  listHelpers(): Promise<HelperAccount[]>;
  getHelper(id: string): Promise<HelperAccount | undefined>;
  /** Case-insensitive: "Alex" and "alex" are the same helper. */
  findHelperByName(name: string): Promise<HelperAccount | undefined>;
  /** Rejects with a `StoreConflictError` when the name is taken. */
  addHelper(account: HelperAccount): Promise<void>;
  removeHelper(name: string): Promise<HelperAccount | undefined>;
  getHelperPrefs(id: string): Promise<HelperPrefs>;
  setHelperPrefs(id: string, prefs: HelperPrefs): Promise<void>;

  /**
   * Ended conversations of a visitor, by any of their keys (returning-visitor.ts), newest
   * ended first, at most `limit`.
   */
  listVisitorEndedConversations(keys: string[], limit: number): Promise<ConversationRecord[]>;

  /** The desk's canned replies, by shortcut. */
  listCannedReplies(): Promise<CannedReply[]>;
  /**
   * Adds or replaces (same id) a canned reply. Rejects with a `StoreConflictError` when
   * another reply has the shortcut, whatever its case.
   */
  putCannedReply(reply: CannedReply): Promise<void>;
  /** Resolves true when there was one to delete. */
  deleteCannedReply(id: string): Promise<boolean>;

  putSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of a helper; resolves with their token hashes. */
  deleteSessionsOf(helperId: string): Promise<string[]>;

  /** Stores a new conversation (version 1). Rejects with `StoreConflictError` if the id exists. */
  createConversation(record: ConversationRecord): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | undefined>;
  /** Only conversations that have not ended: an ended conversation's code is expired. */
  findOpenConversationByJoinCode(code: string): Promise<ConversationRecord | undefined>;
  /** Waiting and assigned conversations, in creation order. */
  listOpenConversations(): Promise<ConversationRecord[]>;
  /**
   * Stores a changed conversation if the stored one is still the version it was changed
   * from (`record.version - 1`); otherwise rejects with `StaleVersionError` and stores nothing.
   */
  saveConversation(record: ConversationRecord): Promise<void>;
  /**
   * A helper's ended conversations, newest ended first, one page at a time: at most `limit`,
   * starting after the conversation `after` (the last of the previous page).
   */
  listEndedConversations(
    helperId: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]>;

  /**
   * The helper's ended conversations that match a history search (see search-text.ts for
   * what matches: every word of the query starts a word of the conversation), in the order
   * and pages of `listEndedConversations`; `after` not one of the helper's ended ones means
   * from the start. A query with no words matches nothing. Answered from an index kept as
   * conversations end, so its cost does not grow with the messages stored.
   */
  searchEndedConversations(
    helperId: string,
    query: string,
    page: { limit: number; after?: string },
  ): Promise<ConversationRecord[]>;

  /**
   * The reports' hourly aggregates (report-bucket.ts) for UTC hours `first` to `last`
   * (`2026-03-01T14`, both included); hours nobody asked in are absent. Kept by the store as
   * conversations end or are rated (from `saveConversation`), so reading a month is reading
   * at most its hours, however many conversations they sum. Read-only.
   */
  readReportHours(first: string, last: string): Promise<HourBucket[]>;
  /** What each ended conversation asked for in those hours adds, oldest first, at most `limit`. */
  listReportEntries(first: string, last: string, limit: number): Promise<ReportEntry[]>;

  /** Stores a message once per id; a resend returns the stored one with `duplicate: true`. */
  appendMessage(
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: Message; duplicate: boolean }>;
  /** Messages after the given id (all when absent or unknown), oldest first. */
  listMessages(conversationId: string, after?: string, limit?: number): Promise<Message[]>;
  getMessage(conversationId: string, messageId: string): Promise<Message | undefined>;
  getReadMarks(conversationId: string): Promise<ReadMarks>;
  setReadMark(conversationId: string, by: Author, upTo: string): Promise<void>;

  /** Waits for pending writes. */
  close(): Promise<void>;
}

/** A helper's preferences until they change them: away, so no one is assigned unasked. */
export const DEFAULT_PREFS: HelperPrefs = { availability: 'away', capacity: 3 };

export class StoreConflictError extends Error {}
export class StoreNotFoundError extends Error {}
/** Someone changed the conversation since it was read: read it again and decide again. */
export class StaleVersionError extends Error {}
