/**
 * What a helper's history search matches, and how text becomes search terms. Both stores
 * index the terms this file gives and look them up the same way, so a search answers the
 * same on either.
 *
 * What matches: a conversation matches a query when every word of the query (AND) is the
 * start of a word in it, case-insensitively: "refund", "refu", "ann@" (the word "ann") and
 * "checkout" all find what they start. A word is a run of letters (with their marks) and digits; anything else
 * separates words, so "jane@example.com" is the words "jane", "example" and "com", and the
 * query "jane@exa" finds it. The middle of a word ("fund" in "refund") does not match: that
 * is what lets an index answer instead of a scan (and what Chatwoot and Intercom do too).
 * Searched: the visitor's name and email, the page title and URL, and every message's text.
 */
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from './conversation-types.ts';

/** Longer words are cut here: no one types more, and it bounds what an index holds. */
export const MAX_TERM_LENGTH = 40;
/** Distinct terms kept per conversation: a bound on what one conversation adds to an index. */
export const MAX_TERMS = 5000;

// Marks too: in many scripts (Devanagari, Thai, combining accents) they are part of a word.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The words of a text: lower-cased, cut to `MAX_TERM_LENGTH`, in order, repeats kept. */
export function words(text: string): string[] {
  const found = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  return found.map((word) => [...word].slice(0, MAX_TERM_LENGTH).join(''));
}

/**
 * Everything of an ended conversation a search looks at. The one place that decides it: a
 * later kind of message (helper-only notes, say) is included or left out here.
 */
export function searchableTexts(
  record: ConversationRecord,
  messages: readonly Message[],
): string[] {
  return [
    record.visitor.name ?? '',
    record.visitor.email ?? '',
    record.details.pageTitle,
    record.details.pageUrl,
    // A prefix of the visitor's first message, also in the messages (where they are stored).
    record.firstMessage ?? '',
    ...messages.map((message) => message.text),
  ];
}

/** The distinct terms an index keeps for a conversation, at most `MAX_TERMS`. */
export function searchTerms(record: ConversationRecord, messages: readonly Message[]): string[] {
  const terms = new Set<string>();
  for (const text of searchableTexts(record, messages)) {
    for (const word of words(text)) {
      if (terms.size >= MAX_TERMS) return [...terms];
      terms.add(word);
    }
  }
  return [...terms];
}

/** The words of a query, each to be matched as a word's start; none for a blank query. */
export function queryTerms(query: string): string[] {
  return [...new Set(words(query))];
}
