import type { Message } from '../../protocol/domain.ts';
import type { Catalogue } from '../i18n/en.ts';

/**
 * The chat as plain text, for the visitor to keep: a title, one line per message with its
 * time and author, and who ended it. Made in the browser from what the visitor was shown;
 * nothing more is asked of the server.
 */
export function transcriptText(
  messages: readonly Message[],
  strings: Catalogue,
  ending: string,
  locale: string,
): string {
  const time = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const started = messages[0] ? time.format(new Date(messages[0].sentAt)) : '';
  const lines = messages.map((m) => {
    const who = m.from === 'visitor' ? strings.you : m.authorName;
    // Continuation lines are indented so that no message can pass for another.
    const text = m.text.replace(/\r\n?|\n/g, '\n  ');
    return `[${time.format(new Date(m.sentAt))}] ${who}: ${text}`;
  });
  return [strings.transcriptTitle(started), '', ...lines, '', ending, ''].join('\n');
}
