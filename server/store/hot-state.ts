/**
 * The conversations the local store keeps in memory: open ones, and ended ones not yet
 * archived, each with its messages and read marks. Rebuilt at start-up by replaying the
 * journal; every entry applies idempotently, so replaying one twice changes nothing.
 */
import type { Author, Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../domain/conversation-types.ts';
import { deepFreeze } from './frozen.ts';
import type { ReadMarks } from './store.ts';

/** One line of the journal. */
export type JournalEntry =
  | { t: 'conv'; record: ConversationRecord }
  | { t: 'msg'; message: Message }
  | { t: 'read'; conversationId: string; by: Author; upTo: string }
  | { t: 'archived'; conversationId: string };

export interface HotConversation {
  record: ConversationRecord;
  messages: Message[];
  byId: Map<string, Message>;
  readMarks: ReadMarks;
}

export class HotState {
  /** In creation order. */
  readonly conversations = new Map<string, HotConversation>();
  readonly #byToken = new Map<string, string>();
  readonly #byOpenCode = new Map<string, string>();

  get(id: string): HotConversation | undefined {
    return this.conversations.get(id);
  }

  byTokenHash(hash: string): HotConversation | undefined {
    const id = this.#byToken.get(hash);
    return id === undefined ? undefined : this.conversations.get(id);
  }

  byOpenJoinCode(code: string): HotConversation | undefined {
    const id = this.#byOpenCode.get(code);
    return id === undefined ? undefined : this.conversations.get(id);
  }

  apply(entry: JournalEntry): void {
    switch (entry.t) {
      case 'conv':
        this.#putRecord(entry.record);
        return;
      case 'msg': {
        const hot = this.conversations.get(entry.message.conversationId);
        if (!hot || hot.byId.has(entry.message.id)) return;
        hot.messages.push(entry.message);
        hot.byId.set(entry.message.id, entry.message);
        return;
      }
      case 'read': {
        const hot = this.conversations.get(entry.conversationId);
        if (hot) hot.readMarks[entry.by] = entry.upTo;
        return;
      }
      case 'archived': {
        const hot = this.conversations.get(entry.conversationId);
        if (!hot) return;
        this.conversations.delete(entry.conversationId);
        this.#byToken.delete(hot.record.visitorTokenHash);
        if (this.#byOpenCode.get(hot.record.joinCode) === hot.record.id) {
          this.#byOpenCode.delete(hot.record.joinCode);
        }
      }
    }
  }

  /** Everything needed to rebuild the hot state: what a compacted journal holds. */
  *entries(): Generator<JournalEntry> {
    for (const hot of this.conversations.values()) {
      yield { t: 'conv', record: hot.record };
      for (const message of hot.messages) yield { t: 'msg', message };
      for (const by of ['visitor', 'helper'] as const) {
        const upTo = hot.readMarks[by];
        if (upTo) yield { t: 'read', conversationId: hot.record.id, by, upTo };
      }
    }
  }

  /** Records are kept frozen: readers share them, and no one may change one in place. */
  #putRecord(record: ConversationRecord): void {
    deepFreeze(record);
    const hot = this.conversations.get(record.id);
    // Replaying an older copy after a newer one (a compacted journal and its tail) keeps the newer.
    if (hot && hot.record.version >= record.version) return;
    if (hot) {
      // A replaced join code no longer leads here.
      if (
        hot.record.joinCode !== record.joinCode &&
        this.#byOpenCode.get(hot.record.joinCode) === record.id
      ) {
        this.#byOpenCode.delete(hot.record.joinCode);
      }
      hot.record = record;
    } else {
      this.conversations.set(record.id, { record, messages: [], byId: new Map(), readMarks: {} });
    }
    this.#byToken.set(record.visitorTokenHash, record.id);
    if (record.status === 'ended') {
      if (this.#byOpenCode.get(record.joinCode) === record.id)
        this.#byOpenCode.delete(record.joinCode);
    } else {
      this.#byOpenCode.set(record.joinCode, record.id);
    }
  }
}
