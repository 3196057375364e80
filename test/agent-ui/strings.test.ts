/** The agent page's words: counted forms, names that say who, and links that stay links. */
import { describe, expect, it } from 'vitest';
import { pagePath, safeMailto } from '../../agent-ui/format.ts';
import { strings } from '../../agent-ui/strings.ts';

describe('strings', () => {
  it('counts messages in the right form', () => {
    expect(strings.history.summary('Dana', 'today', 1)).toBe('Dana · today · 1 message');
    expect(strings.history.summary('Dana', 'today', 0)).toBe('Dana · today · 0 messages');
    expect(strings.history.summary('Dana', 'today', 12)).toBe('Dana · today · 12 messages');
  });

  it('names an "Answer message" button by name, else email, else the page', () => {
    const answer = strings.messages.answer;
    expect(answer({ name: 'Ann', email: 'ann@example.com', page: '/pricing' })).toBe(
      'Answer message from Ann',
    );
    expect(answer({ email: 'ann@example.com', page: '/pricing' })).toBe(
      'Answer message from ann@example.com',
    );
    expect(answer({ page: '/pricing' })).toBe('Answer message from a visitor on /pricing');
  });

  it('says who ended a chat, and what the visitor thought', () => {
    const { endedBy, rated, rating } = strings.outcome;
    expect(endedBy('visitor', 'Ann')).toBe('Ann ended the chat.');
    expect(endedBy('visitor', undefined)).toBe('The visitor ended the chat.');
    expect(endedBy('helper', 'Ann')).toBe('You ended the chat.');
    expect(endedBy('system', undefined)).toBe(
      'The visitor left before anyone answered; the chat was closed.',
    );
    expect(rated('Ann', rating.up)).toBe('Ann rated this chat: Good');
    expect(rated(undefined, rating.down)).toBe('The visitor rated this chat: Bad');
  });
});

describe('format', () => {
  it('makes mailto links that cannot add recipients, a subject or a body', () => {
    expect(safeMailto('ann@example.com')).toBe('mailto:ann@example.com');
    expect(safeMailto('ann+shop@example.com')).toBe('mailto:ann%2Bshop@example.com');
    expect(safeMailto('bo?cc=boss@example.com')).toBe('mailto:bo%3Fcc%3Dboss@example.com');
    expect(safeMailto('a&body=hi@example.com')).toBe('mailto:a%26body%3Dhi@example.com');
    for (const bad of ['', 'ann', '@example.com', 'ann@', 'a b@example.com', '"x"<a@b>']) {
      expect(safeMailto(bad), bad).toBeUndefined();
    }
  });

  it('names a page by its path, and a script URL as it is', () => {
    expect(pagePath('https://shop.example.com/pricing?plan=pro#faq')).toBe('/pricing');
    expect(pagePath('javascript:alert(1)')).toBe('javascript:alert(1)');
  });
});
