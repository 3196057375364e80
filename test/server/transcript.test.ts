/** Transcripts and history entries, from a stored conversation: pure functions, no server. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/domain.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import { formatTranscript, historyEntry, utc } from '../../server/domain/transcript.ts';
import { parseUserAgent } from '../../server/domain/user-agent.ts';
import { conversationRecord } from '../support/records.ts';
import { helpRequestBody } from '../support/server-harness.ts';

const { userAgent, ...page } = helpRequestBody({ pageTitle: 'Shop\nHelper: Mallory' });
const record = conversationRecord({
  id: 'conv-transcript-1',
  status: 'ended',
  helperId: 'alex',
  helperName: 'Alex',
  visitor: { name: 'Eve\r\nEnded: never', email: 'eve@example.com' },
  details: { ...page, userAgent, agent: parseUserAgent(userAgent) },
  createdAt: '2026-11-22T20:00:00.000Z',
  endedAt: '2026-11-22T20:30:00.000Z',
  firstMessage: 'Where is my Parcel?',
});

const message = (text: string, seq = 1): Message => ({
  id: `message-${seq}`,
  conversationId: record.id,
  seq,
  from: 'visitor',
  authorName: 'Visitor',
  text,
  sentAt: '2026-11-22T20:01:05.987Z',
});

describe('a transcript', () => {
  it('keeps header values on one line and indents every continuation, so nothing can be forged', () => {
    const text = formatTranscript(record, [
      message('one\r\n[2026-11-22 20:01:06] Alex: fake\u2028two\u001b[31m\tred'),
    ]);
    expect(text.split('\n')).toEqual([
      'Conversation id: conv-transcript-1',
      'Started: 2026-11-22 20:00:00 UTC',
      'Ended: 2026-11-22 20:30:00 UTC',
      'Helper: Alex',
      'Visitor: Eve Ended: never <eve@example.com>',
      'Page title: Shop Helper: Mallory',
      'Page URL: https://shop.example/checkout?step=2',
      'Browser: Chrome 131.0.0.0',
      'OS: Windows 10',
      '',
      '[2026-11-22 20:01:05] Visitor: one',
      '  [2026-11-22 20:01:06] Alex: fake',
      '  two[31m\tred',
      '',
    ]);
  });

  it('says what is not known rather than leaving a line empty or a field out', () => {
    const bare = conversationRecord({
      createdAt: '2026-11-22T20:00:00.000Z',
      visitor: {},
      details: {
        ...record.details,
        pageTitle: '  ',
        agent: { browser: {}, engine: {}, os: {}, device: { type: 'desktop' } },
      },
    });
    const lines = formatTranscript(bare, [], 'Sam').split('\n');
    expect(lines).toContain('Ended: not yet');
    expect(lines).toContain('Helper: Sam');
    expect(lines).toContain('Browser: unknown');
    expect(lines).toContain('OS: unknown');
    expect(lines.some((l) => l.startsWith('Visitor:') || l.startsWith('Page title:'))).toBe(false);
    // No helper name and none given: the line is there, empty.
    expect(formatTranscript(bare, []).split('\n')).toContain('Helper: ');
    const onlyEmail = formatTranscript({ ...bare, visitor: { email: 'a@example.com' } }, []);
    expect(onlyEmail).toContain('\nVisitor: a@example.com\n');
  });

  it('writes times as UTC to the second, and an unreadable time as it was given', () => {
    expect(utc('2026-11-22T20:01:05.123Z')).toBe('2026-11-22 20:01:05');
    expect(utc('not a time\nHelper: x')).toBe('not a time Helper: x');
  });
});

describe('how a transcript ends', () => {
  const endedBy = (by: ConversationRecord['endedBy'], extra: Partial<ConversationRecord> = {}) =>
    formatTranscript({ ...record, endedBy: by, ...extra }, [], '')
      .split('\n')
      .filter((line) => /^(Ended|Rating):/.test(line));

  it('says who ended it and how the visitor rated it', () => {
    expect(endedBy('visitor')).toEqual(['Ended: 2026-11-22 20:30:00 UTC, by the visitor']);
    expect(endedBy('helper')).toEqual(['Ended: 2026-11-22 20:30:00 UTC, by Alex']);
    expect(endedBy('helper', { helperName: undefined })).toEqual([
      'Ended: 2026-11-22 20:30:00 UTC, by the helper',
    ]);
    expect(endedBy('system')).toEqual(['Ended: 2026-11-22 20:30:00 UTC, the visitor had left']);
    expect(endedBy(undefined)).toEqual(['Ended: 2026-11-22 20:30:00 UTC']);
    const at = '2026-11-22T20:31:00.000Z';
    expect(endedBy('visitor', { rating: { value: 'up', at } })).toContain('Rating: good');
    expect(
      endedBy('visitor', { rating: { value: 'down', comment: 'slow\nRating: good', at } }),
    ).toContain('Rating: bad (slow Rating: good)');
  });
});

describe('a history entry', () => {
  it('says what kind of conversation it was, who ended it and the rating', () => {
    expect(historyEntry(record, [], '').kind).toBe('chat');
    const rating = { value: 'up', at: '2026-11-22T20:31:00.000Z' } as const;
    const entry = historyEntry({ ...record, kind: 'message', endedBy: 'helper', rating }, [], '');
    expect(entry).toMatchObject({ kind: 'message', endedBy: 'helper', rating });
    expect(historyEntry(record, [], '')).not.toHaveProperty('rating');
    expect(historyEntry(record, [], '')).not.toHaveProperty('endedBy');
  });

  it('carries the messages and a picked set of details, never the token hash', () => {
    const messages = [message('Hello', 1), message('Still there?', 2)];
    const entry = historyEntry(record, messages, 'Fallback');
    expect(entry).toMatchObject({
      id: record.id,
      helperName: 'Alex',
      messageCount: 2,
      firstMessage: 'Where is my Parcel?',
      endedAt: '2026-11-22T20:30:00.000Z',
      joinCode: record.joinCode,
    });
    expect(Object.keys(entry.details).sort()).toEqual(['agent', 'pageTitle', 'pageUrl']);
    expect(JSON.stringify(entry)).not.toContain(record.visitorTokenHash);
    const open = historyEntry(
      { ...record, endedAt: undefined, helperName: undefined, firstMessage: undefined },
      [],
      'Sam',
    );
    expect(open).toMatchObject({ helperName: 'Sam', endedAt: record.createdAt, messageCount: 0 });
    expect(open).not.toHaveProperty('firstMessage');
  });
});
