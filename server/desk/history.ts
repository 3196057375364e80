/** A helper's ended conversations: listing, searching and plain-text transcripts. */
import type { HistoryEntry, Message } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { decide } from '../domain/conversation.ts';
import type { ConversationRecord, HelperRef } from '../domain/conversation-types.ts';
import { queryTerms } from '../domain/search-text.ts';
import { historyEntry } from '../domain/transcript.ts';
import type { Store } from '../store/store.ts';

export interface HistoryOptions {
  /** Words to look for (search-text.ts says what matches); none means no filter. */
  q?: string | undefined;
  limit: number;
  /** Continue after this conversation: the last one the previous page showed. */
  after?: string | undefined;
}

export class HelperHistory {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * The helper's ended conversations, newest ended first, at most `limit`. With words in `q`,
   * only those that match all of them, found by the store's search index: the cost follows
   * the page, not the history.
   */
  async list(helper: HelperRef, options: HistoryOptions): Promise<HistoryEntry[]> {
    const page = { limit: options.limit, ...(options.after ? { after: options.after } : {}) };
    const q = options.q ?? '';
    const records =
      queryTerms(q).length > 0
        ? await this.#store.searchEndedConversations(helper.id, q, page)
        : await this.#store.listEndedConversations(helper.id, page);
    const entries: HistoryEntry[] = [];
    for (const record of records) {
      entries.push(historyEntry(record, await this.messages(record.id), helper.name));
    }
    return entries;
  }

  /** One ended conversation this helper handled, or undefined: others' are not revealed. */
  async ended(helper: HelperRef, conversationId: string): Promise<ConversationRecord | undefined> {
    const record = await this.#store.getConversation(conversationId);
    if (record?.status !== 'ended') return undefined;
    const actor = { kind: 'helper', helperId: helper.id, name: helper.name } as const;
    return decide(record, { type: 'read-history' }, actor, new Date()).ok ? record : undefined;
  }

  /** Every message of a conversation, oldest first, however many pages the store serves. */
  async messages(conversationId: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
      const page = await this.#store.listMessages(
        conversationId,
        messages.at(-1)?.id,
        LIMITS.historyPage,
      );
      messages.push(...page);
      if (page.length < LIMITS.historyPage) return messages;
    }
  }
}
