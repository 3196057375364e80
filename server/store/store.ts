/**
 * The storage seam. Small and async so a Postgres or Redis store can replace the default
 * lowdb one without touching the domain code. Every mutating call resolves only once the
 * change is durable.
 */

import type { StoredChange } from '../../protocol/cobrowse.ts';
import type {
  Author,
  Availability,
  ClientDetails,
  ConversationStatus,
  CurrentPage,
  Message,
  VisitorInfo,
} from '../../protocol/domain.ts';

export interface HelperAccount {
  id: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash`, see server/domain/passwords.ts. */
  passwordHash: string;
  createdAt: string;
}

export interface HelperPrefs {
  availability: Availability;
  capacity: number;
}

export interface SessionRecord {
  /** sha256 of the cookie value; the cookie itself is never stored. */
  tokenHash: string;
  helperId: string;
  createdAt: string;
  expiresAt: string;
}

export interface ConversationRecord {
  id: string;
  status: ConversationStatus;
  priority: number;
  joinCode: string;
  /** sha256 of the visitor token; the token itself is never stored. */
  visitorTokenHash: string;
  helperId?: string;
  helperName?: string;
  details: ClientDetails;
  visitor: VisitorInfo;
  firstMessage?: string;
  currentPage?: CurrentPage;
  /** Set while a helper follows the visitor's page (follow mode). */
  following?: { helperId: string; helperName: string; since: string };
  /** Passing control: asked, granted or refused; absent when no one asked. */
  control?: { state: 'requested' | 'granted' | 'denied'; helperId: string; helperName: string };
  createdAt: string;
  assignedAt?: string;
  endedAt?: string;
}

export type ConversationPatch = Partial<
  Pick<
    ConversationRecord,
    | 'status'
    | 'priority'
    | 'helperId'
    | 'helperName'
    | 'firstMessage'
    | 'currentPage'
    | 'following'
    | 'control'
    | 'assignedAt'
    | 'endedAt'
  >
>;

export interface MessageDraft {
  id: string;
  from: Author;
  authorName: string;
  text: string;
}

export type ReadMarks = { visitor?: string; helper?: string };

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

  putSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  createConversation(record: ConversationRecord): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | undefined>;
  /** Only conversations that have not ended: an ended conversation's code is expired. */
  findOpenConversationByJoinCode(code: string): Promise<ConversationRecord | undefined>;
  /** In creation order. */
  listConversations(statuses: readonly ConversationStatus[]): Promise<ConversationRecord[]>;
  updateConversation(id: string, patch: ConversationPatch): Promise<ConversationRecord>;

  /** Stores a message once per id; a resend returns the stored one with `duplicate: true`. */
  appendMessage(
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: Message; duplicate: boolean }>;
  /** Messages after the given id (all when absent or unknown), oldest first. */
  listMessages(conversationId: string, after?: string, limit?: number): Promise<Message[]>;
  hasMessage(conversationId: string, messageId: string): Promise<boolean>;
  getReadMarks(conversationId: string): Promise<ReadMarks>;
  setReadMark(conversationId: string, by: Author, upTo: string): Promise<void>;

  /** Follow mode: the latest change per key, oldest first. */
  getCobrowseState(conversationId: string): Promise<StoredChange[]>;
  /** Keeps `change` as the latest for its key. */
  putCobrowseChange(conversationId: string, change: StoredChange): Promise<void>;
  clearCobrowseState(conversationId: string): Promise<void>;

  /** Waits for pending writes. */
  close(): Promise<void>;
}

export class StoreConflictError extends Error {}
export class StoreNotFoundError extends Error {}
