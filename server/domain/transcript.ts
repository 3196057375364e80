/** What a helper's history shows of an ended conversation, and its plain-text transcript. */
import type { HistoryEntry, Message, ParsedAgent } from '../../protocol/domain.ts';
import type { ConversationRecord } from './conversation-types.ts';
import { visitorNumber } from './returning-visitor.ts';

export function historyEntry(
  record: ConversationRecord,
  messages: Message[],
  fallbackHelperName: string,
): HistoryEntry {
  // Picked field by field: the visitor token hash and the rest of the details stay here.
  return {
    id: record.id,
    kind: record.kind ?? 'chat',
    createdAt: record.createdAt,
    endedAt: record.endedAt ?? record.createdAt,
    ...(record.endedBy ? { endedBy: record.endedBy } : {}),
    ...(record.rating ? { rating: record.rating } : {}),
    helperName: record.helperName ?? fallbackHelperName,
    visitor: record.visitor,
    visitorNumber: visitorNumber(record),
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
    `Ended: ${record.endedAt ? `${utc(record.endedAt)} UTC${endedBy(record)}` : 'not yet'}`,
    `Helper: ${oneLine(record.helperName ?? fallbackHelperName)}`,
  ];
  if (record.rating) {
    const comment = oneLine(record.rating.comment ?? '');
    header.push(
      `Rating: ${record.rating.value === 'up' ? 'good' : 'bad'}${comment ? ` (${comment})` : ''}`,
    );
  }
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
    // Helpers download this; a note is theirs to read, and says it is one.
    const who = `${oneLine(message.authorName)}${message.internal ? ' (internal note)' : ''}`;
    const head = `[${utc(message.sentAt)}] ${who}: ${first}`;
    return [head, ...rest.map((line) => `  ${line}`)].join('\n');
  });
  return `${[...header, '', ...lines].join('\n')}\n`;
}

/** Who ended it, for the transcript's "Ended:" line. */
function endedBy(record: ConversationRecord): string {
  switch (record.endedBy) {
    case 'visitor':
      return ', by the visitor';
    case 'helper':
      return `, by ${oneLine(record.helperName ?? 'the helper')}`;
    case 'system':
      return ', the visitor had left';
    case undefined:
      return '';
  }
}

/** `2026-11-22T20:01:05.123Z` → `2026-11-22 20:01:05`. */
export function utc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return oneLine(iso);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function describeVisitor(name: string | undefined, email: string | undefined): string {
  const shownName = oneLine(name ?? '');
  const shownEmail = oneLine(email ?? '');
  if (shownName && shownEmail) return `${shownName} <${shownEmail}>`;
  return shownName || shownEmail;
}

function describePart(part: ParsedAgent['browser'] | ParsedAgent['os']): string {
  // A missing part joins as an empty string, and oneLine trims what it leaves.
  return oneLine([part.name, part.version].join(' ')) || 'unknown';
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
