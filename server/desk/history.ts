/** A helper's ended conversations: listing, searching and plain-text transcripts. */
import type { HistoryEntry, Message } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { decide } from '../domain/conversation.ts';
import type { ConversationRecord, HelperRef } from '../domain/conversation-types.ts';
import { historyEntry, messagesMatch, recordMatches } from '../domain/transcript.ts';
import type { Store } from '../store/store.ts';

export interface HistoryOptions {
  /** Case-insensitive text to look for; blank means no filter. */
  q?: string | undefined;
  limit: number;
  /** Continue after this conversation: the last one the previous page showed. */
  after?: string | undefined;
}

/** Pages of ended conversations read at a time while searching. */
const PAGE = 100;

export class HelperHistory {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * The helper's ended conversations, newest ended first, at most `limit`. With `q`, only
   * those whose messages, visitor name or email, page title or URL contain it. Fields on the
   * record are checked before any message is read, and reading stops once `limit` are found.
   */
  async list(helper: HelperRef, options: HistoryOptions): Promise<HistoryEntry[]> {
    const needle = options.q?.trim().toLocaleLowerCase() ?? '';
    const entries: HistoryEntry[] = [];
    let after = options.after;
    while (entries.length < options.limit) {
      const page = await this.#store.listEndedConversations(helper.id, {
        limit: PAGE,
        ...(after ? { after } : {}),
      });
      for (const record of page) {
        if (entries.length >= options.limit) break;
        const messages = await this.messages(record.id);
        if (needle && !recordMatches(record, needle) && !messagesMatch(messages, needle)) continue;
        entries.push(historyEntry(record, messages, helper.name));
      }
      if (page.length < PAGE) break;
      after = page.at(-1)?.id;
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
