/** What a history search matches: the words of a conversation and of a query. Pure, no store. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/domain.ts';
import { queryTerms, searchTerms, words } from '../../server/domain/search-text.ts';
import { SearchIndex } from '../../server/store/search-index.ts';
import { conversationRecord } from '../support/records.ts';

const message = (text: string, seq = 1): Message => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  from: 'visitor',
  authorName: 'Eve',
  text,
  sentAt: '2026-11-22T20:01:05.000Z',
});

describe('search terms', () => {
  it('are runs of letters and digits, lower-cased; anything else separates them', () => {
    expect(words('Hello, my ORDER #4711 is stuck!')).toEqual([
      'hello',
      'my',
      'order',
      '4711',
      'is',
      'stuck',
    ]);
    expect(words('jane@example.com https://shop.example/checkout?step=2')).toEqual([
      'jane',
      'example',
      'com',
      'https',
      'shop',
      'example',
      'checkout',
      'step',
      '2',
    ]);
    // Accents and marks stay in their word; other scripts are words too.
    expect(words('Café ÜBER नमस्ते')).toEqual(['café', 'über', 'नमस्ते']);
    expect(queryTerms('  —  ')).toEqual([]);
    expect(queryTerms('ann@ Ann')).toEqual(['ann']);
  });

  it("of a conversation: the visitor's name and email, page title and URL, every message", () => {
    const record = conversationRecord({
      visitor: { name: 'Eve Adams', email: 'eve@example.org' },
      details: {
        ...conversationRecord().details,
        pageTitle: 'Billing',
        pageUrl: 'https://shop.example/pay',
      },
      firstMessage: 'Where is my parcel',
    });
    const terms = searchTerms(record, [message('Where is my parcel'), message('Refund please', 2)]);
    expect(terms.sort()).toEqual(
      [
        'eve',
        'adams',
        'example',
        'org',
        'billing',
        'https',
        'shop',
        'pay',
        'where',
        'is',
        'my',
        'parcel',
        'refund',
        'please',
      ].sort(),
    );
  });
});

describe('search term bounds', () => {
  it('cuts a word at 40 characters, and a conversation at 5,000 distinct words', () => {
    expect(words(`${'a'.repeat(39)}bc`)).toEqual([`${'a'.repeat(39)}b`]);
    const many = Array.from({ length: 5002 }, (_, i) => `w${i}`).join(' ');
    const terms = searchTerms(conversationRecord({ visitor: {} }), [message(many)]);
    expect(terms).toHaveLength(5000);
    expect(terms).not.toContain('w4999');
  });

  it('adds nothing for what a conversation does not have (no name, email or first message)', () => {
    const { firstMessage: _none, ...record } = conversationRecord({ visitor: {} });
    const page = [...words(record.details.pageTitle), ...words(record.details.pageUrl)];
    expect(searchTerms(record, [])).toEqual([...new Set(page)]);
  });

  it("includes the first message's preview even before its message is read", () => {
    const record = conversationRecord({ visitor: {}, firstMessage: 'Zanzibar' });
    expect(searchTerms(record, [])).toContain('zanzibar');
  });
});

describe('the in-memory search index', () => {
  const doc = (id: string, endedAt: string, terms: string[], helperId = 'alex') => ({
    id,
    helperId,
    endedAt,
    createdAt: '2026-01-01T00:00:00.000Z',
    terms,
  });

  it('finds by word starts, all words required, newest ended first, a page at a time', () => {
    const index = new SearchIndex();
    index.addMany([
      doc('a', '2026-01-01T10:00:00.000Z', ['refund', 'order']),
      doc('c', '2026-01-01T12:00:00.000Z', ['refunded', 'late']),
      doc('s', '2026-01-01T13:00:00.000Z', ['refund'], 'sam'),
    ]);
    // Added one at a time after the bulk, it still lands in its place.
    index.add(doc('b', '2026-01-01T11:00:00.000Z', ['refund', 'order']));
    const search = (q: string, after?: string, limit = 10) =>
      index.search('alex', queryTerms(q), { limit, after });
    expect(search('refund')).toEqual(['c', 'b', 'a']);
    expect(search('REFUNDED')).toEqual(['c']);
    expect(search('ref ord')).toEqual(['b', 'a']);
    expect(search('fund')).toEqual([]);
    expect(search('refund', 'c', 1)).toEqual(['b']);
    expect(search('refund', 'b')).toEqual(['a']);
    // Someone else's conversation as a cursor: from the start.
    expect(search('refund', 's')).toEqual(['c', 'b', 'a']);
    // Replaced: the old terms no longer find it.
    index.add(doc('a', '2026-01-01T10:00:00.000Z', ['thanks']));
    expect(search('order')).toEqual(['b']);
    expect(search('thanks')).toEqual(['a']);
    expect(index.size).toBe(4);
  });
});
