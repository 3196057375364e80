/** A helper's ended conversations: listing, searching and plain-text transcripts. */
import type { HistoryEntry, Message, ParsedAgent } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import type { ConversationRecord, HelperAccount, Store } from '../store/store.ts';

export interface HistoryOptions {
  /** Case-insensitive text to look for; blank means no filter. */
  q?: string | undefined;
  limit: number;
}

type HistoryHelper = Pick<HelperAccount, 'id' | 'name'>;

/**
 * The helper's ended conversations, newest ended first, at most `limit`. With `q`, only those
 * whose messages, visitor name or email, page title or URL contain it. Fields on the record
 * are checked before any message file is read, and reading stops once `limit` are found.
 */
export async function listHistory(
  store: Store,
  helper: HistoryHelper,
  options: HistoryOptions,
): Promise<HistoryEntry[]> {
  const needle = options.q?.trim().toLocaleLowerCase() ?? '';
  const records = newestFirst(
    (await store.listConversations(['ended'])).filter((c) => c.helperId === helper.id),
  );
  const entries: HistoryEntry[] = [];
  for (const record of records) {
    if (entries.length >= options.limit) break;
    const messages = await allMessages(store, record.id);
    if (needle && !recordMatches(record, needle) && !messagesMatch(messages, needle)) continue;
    entries.push(historyEntry(record, messages, helper.name));
  }
  return entries;
}

/** One ended conversation this helper handled, or undefined: others' are not revealed. */
export async function endedConversationOf(
  store: Store,
  helper: HistoryHelper,
  conversationId: string,
): Promise<ConversationRecord | undefined> {
  const record = await store.getConversation(conversationId);
  return record && record.status === 'ended' && record.helperId === helper.id ? record : undefined;
}

/** Every message of a conversation, oldest first, however many pages the store serves. */
export async function allMessages(store: Store, conversationId: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const page = await store.listMessages(conversationId, messages.at(-1)?.id, LIMITS.historyPage);
    messages.push(...page);
    if (page.length < LIMITS.historyPage) return messages;
  }
}

export function historyEntry(
  record: ConversationRecord,
  messages: Message[],
  fallbackHelperName: string,
): HistoryEntry {
  // Picked field by field: the visitor token hash and the rest of the details stay here.
  return {
    id: record.id,
    createdAt: record.createdAt,
    endedAt: record.endedAt ?? record.createdAt,
    helperName: record.helperName ?? fallbackHelperName,
    visitor: record.visitor,
    details: {
      pageUrl: record.details.pageUrl,
      pageTitle: record.details.pageTitle,
      agent: record.details.agent,
    },
    joinCode: record.joinCode,
    messageCount: messages.length,
    ...(record.firstMessage !== undefined ? { firstMessage: record.firstMessage } : {}),
    messages,
  };
}

/**
 * A plain-text transcript: a header, a blank line, then one line per message. Header values
 * are kept to one line and continuation lines of a message are indented, so nothing a visitor
 * types can pass for a header or for another message.
 */
export function formatTranscript(
  record: ConversationRecord,
  messages: readonly Message[],
  fallbackHelperName = '',
): string {
  const header: string[] = [
    `Conversation id: ${record.id}`,
    `Started: ${utc(record.createdAt)} UTC`,
    `Ended: ${record.endedAt ? `${utc(record.endedAt)} UTC` : 'not yet'}`,
    `Helper: ${oneLine(record.helperName ?? fallbackHelperName)}`,
  ];
  const visitor = describeVisitor(record.visitor.name, record.visitor.email);
  if (visitor) header.push(`Visitor: ${visitor}`);
  if (oneLine(record.details.pageTitle)) {
    header.push(`Page title: ${oneLine(record.details.pageTitle)}`);
  }
  header.push(`Page URL: ${oneLine(record.details.pageUrl)}`);
  header.push(`Browser: ${describePart(record.details.agent.browser)}`);
  header.push(`OS: ${describePart(record.details.agent.os)}`);

  const lines = messages.map((message) => {
    const [first = '', ...rest] = splitLines(message.text);
    const head = `[${utc(message.sentAt)}] ${oneLine(message.authorName)}: ${first}`;
    return [head, ...rest.map((line) => `  ${line}`)].join('\n');
  });
  return `${[...header, '', ...lines].join('\n')}\n`;
}

/** `2026-11-22T20:01:05.123Z` → `2026-11-22 20:01:05`. */
export function utc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return oneLine(iso);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function newestFirst(records: ConversationRecord[]): ConversationRecord[] {
  const key = (c: ConversationRecord) => c.endedAt ?? c.createdAt;
  return records.sort(
    (a, b) =>
      compareDesc(key(a), key(b)) ||
      compareDesc(a.createdAt, b.createdAt) ||
      compareDesc(a.id, b.id),
  );
}

function compareDesc(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? 1 : -1;
}

function recordMatches(record: ConversationRecord, needle: string): boolean {
  return [
    record.visitor.name,
    record.visitor.email,
    record.details.pageTitle,
    record.details.pageUrl,
    // A prefix of the visitor's first message: a hit here is a hit in the messages.
    record.firstMessage,
  ].some((field) => field?.toLocaleLowerCase().includes(needle));
}

function messagesMatch(messages: readonly Message[], needle: string): boolean {
  return messages.some((m) => m.text.toLocaleLowerCase().includes(needle));
}

function describeVisitor(name: string | undefined, email: string | undefined): string {
  const shownName = oneLine(name ?? '');
  const shownEmail = oneLine(email ?? '');
  if (shownName && shownEmail) return `${shownName} <${shownEmail}>`;
  return shownName || shownEmail;
}

function describePart(part: ParsedAgent['browser'] | ParsedAgent['os']): string {
  return oneLine([part.name, part.version].filter(Boolean).join(' ')) || 'unknown';
}

// Line breaks as text editors see them, including the Unicode line and paragraph separators.
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
// Other control characters (terminal escapes and the like) are dropped; tabs are kept.
const CONTROL = /[^\P{Cc}\t]/gu;

function splitLines(text: string): string[] {
  return text.split(LINE_BREAK).map((line) => line.replace(CONTROL, ''));
}

function oneLine(value: string): string {
  return splitLines(value).join(' ').trim();
}
