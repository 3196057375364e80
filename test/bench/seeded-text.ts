/**
 * What the seeded conversations say, and what the history-search bench looks for in them.
 * Deterministic (conversation n always says the same), with a vocabulary like a help desk's:
 * a few hundred words everyone uses, thousands used now and then, and one order number per
 * conversation, so a search can find one conversation, a few, or all.
 */
import { randomUUID } from 'node:crypto';

/** A message as the store's `appendMessage` takes it (seed.ts passes it on). */
interface SeededDraft {
  id: string;
  from: 'visitor' | 'helper';
  authorName: string;
  text: string;
}

export const SEEDED_MESSAGES = 3;
/** Words each message has besides its opening. */
const WORDS_PER_MESSAGE = 14;

const COMMON = (
  'the a to is my i you it and of for in on with this that was not have can please thanks ' +
  'order delivery parcel refund payment card account password login checkout basket price ' +
  'discount code invoice address email phone help problem error page button website app ' +
  'today yesterday week tracking number return exchange size colour stock shipping late ' +
  'cancel change update confirm received missing broken wrong again still when where why'
).split(' ');
const SYLLABLES = 'ka lo mi ra te su vo ne pi da go fu ze bi wa ly qu xe ho ju'.split(' ');
/** 8,400 made-up words: product names, places, brands — the long tail a desk's words have. */
const RARE = SYLLABLES.flatMap((a) =>
  SYLLABLES.flatMap((b) => [a + b, ...SYLLABLES.map((c) => a + b + c)]),
);

/** The visitor of seeded conversation n. */
export function seededVisitor(n: number): { name: string; email: string } {
  return { name: `Visitor ${RARE[n % RARE.length]}`, email: `user${n}@example.com` };
}

/** The order number conversation n mentions: found by a search for it, and only there. */
export function orderNumber(n: number): string {
  return String(700_000 + n);
}

/** Message m (0, 1, 2…) of seeded conversation n; the visitor and the helper take turns. */
export function seededMessage(n: number, m: number): SeededDraft {
  const random = mulberry32(n * 7919 + m);
  // Skewed to the start of each list: some words are everywhere, most are rare.
  const pick = (list: readonly string[]) => list[Math.floor(list.length * random() ** 3)] ?? '';
  const words = Array.from({ length: WORDS_PER_MESSAGE }, () =>
    random() < 0.7 ? pick(COMMON) : pick(RARE),
  );
  const opening = m === 0 ? `Hello, my order #${orderNumber(n)}` : m % 2 ? 'Let me check:' : 'Ok,';
  const visitor = m % 2 === 0;
  return {
    id: randomUUID(),
    from: visitor ? 'visitor' : 'helper',
    authorName: visitor ? seededVisitor(n).name : 'Helper',
    text: `${opening} ${words.join(' ')}.`,
  };
}

/**
 * The searches the bench times against `count` seeded conversations, in turn: one order
 * number (one match), an email as typed so far (a few), two words (some), a common word and
 * a short prefix (all: a full page of 50 with their messages, the most a search returns).
 */
export function seededQueries(count: number, searches: number): string[] {
  const random = mulberry32(count + 1);
  const some = () => Math.floor(random() * Math.max(count, 1));
  const kinds = [
    () => `#${orderNumber(some())}`,
    () => `user${some()}@`,
    () => `${RARE[some() % RARE.length]} refund`,
    () => 'discount',
    () => 'kalo',
  ];
  return Array.from({ length: searches }, (_, i) => kinds[i % kinds.length]?.() ?? '');
}

/** A small seeded generator: the same text on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
