/** Who a visitor is across conversations (server/domain/returning-visitor.ts): pure rules. */
import { describe, expect, it } from 'vitest';
import { sameVisitor, visitorKeys, visitorNumber } from '../../server/domain/returning-visitor.ts';
import { reachesVisitor, visibleMessages } from '../../server/domain/views.ts';

const browser = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('visitor keys', () => {
  it('are the browser key and a verified user id, never a claimed one', () => {
    expect(visitorKeys({ visitorKey: browser, visitor: {} })).toEqual([`browser:${browser}`]);
    expect(visitorKeys({ visitor: { userId: 'u-1' } })).toEqual([]);
    expect(visitorKeys({ visitor: { userId: 'u-1', verified: false } })).toEqual([]);
    // "Verified" with no id verifies nothing.
    expect(visitorKeys({ visitor: { verified: true } })).toEqual([]);
    expect(
      visitorKeys({ visitorKey: browser, visitor: { userId: 'u-1', verified: true } }),
    ).toEqual([`browser:${browser}`, 'user:u-1']);
    // A user id that looks like a browser key still cannot pass for one.
    expect(visitorKeys({ visitor: { userId: browser, verified: true } })).toEqual([
      `user:${browser}`,
    ]);
  });

  it('make two conversations the same visitor when any one is shared', () => {
    const a = { visitorKey: browser, visitor: {} };
    const b = { visitorKey: browser, visitor: { name: 'Ann' } };
    const c = { visitor: { userId: 'u-1', verified: true } };
    const d = { visitorKey: 'ffffffffffffffff', visitor: { userId: 'u-1', verified: true } };
    expect(sameVisitor(a, b)).toBe(true);
    expect(sameVisitor(c, d)).toBe(true);
    expect(sameVisitor(a, c)).toBe(false);
    expect(sameVisitor({ visitor: {} }, { visitor: {} })).toBe(false);
  });

  it('give a stable four-digit number, from the browser key when there is one', () => {
    const one = visitorNumber({ visitorKey: browser, id: 'conv-1' });
    expect(one).toMatch(/^[1-9]\d{3}$/);
    expect(visitorNumber({ visitorKey: browser, id: 'conv-2' })).toBe(one);
    expect(visitorNumber({ id: 'conv-1' })).not.toBe(visitorNumber({ id: 'conv-2' }));
    // Spread: 1,000 browsers get hundreds of different numbers, all in range.
    const numbers = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = visitorNumber({ visitorKey: `browser-${i}-0123456789`, id: 'x' });
      expect(Number(n)).toBeGreaterThanOrEqual(1000);
      expect(Number(n)).toBeLessThanOrEqual(9999);
      numbers.add(n);
    }
    expect(numbers.size).toBeGreaterThan(900);
    // Fixed by the key alone: a known key keeps its known number across releases.
    expect(visitorNumber({ visitorKey: 'abc', id: 'x' })).toBe(
      visitorNumber({ visitorKey: 'abc', id: 'y' }),
    );
  });
});

describe('what each side reads', () => {
  const message = (id: string, internal?: true) => ({
    id,
    conversationId: 'c1',
    seq: 1,
    from: 'helper' as const,
    authorName: 'Alex',
    text: id,
    sentAt: '2026-12-02T10:00:00.000Z',
    ...(internal ? { internal } : {}),
  });
  const all = [message('hello'), message('note', true), message('bye')];

  it('gives helpers every message, notes included, and the visitor none of the notes', () => {
    const helper = { kind: 'helper', helperId: 'alex', name: 'Alex' } as const;
    const visitor = { kind: 'visitor', conversationId: 'c1', name: 'Ann' } as const;
    expect(visibleMessages(helper, all).map((m) => m.id)).toEqual(['hello', 'note', 'bye']);
    expect(visibleMessages(visitor, all).map((m) => m.id)).toEqual(['hello', 'bye']);
    expect(all.map(reachesVisitor)).toEqual([true, false, true]);
  });
});
