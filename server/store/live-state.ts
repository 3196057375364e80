/**
 * The live-state seam: what matters only while people are connected, and may be lost on a
 * full restart. Nothing here is fsynced. In memory by default (memory-live-state.ts); shaped
 * so Redis can implement it: keys with expiry, atomic take-and-delete, small values.
 */
import type { StoredChange } from '../../protocol/cobrowse.ts';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';

/** What a follow token grants: one copy of the page, for one helper's follow grant. */
export interface FollowTokenGrant {
  conversationId: string;
  helperId: string;
  grantId: string;
}

/** A token bucket: `burst` tokens, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/**
 * Exponential back-off: `freeFailures` cost nothing; each failure after them doubles the wait,
 * from `baseMs` up to `maxMs`. A turn is held for at most `holdMs` (a process that dies while
 * holding one frees it then); failures are forgotten `forgetMs` after the last.
 */
export interface BackoffPolicy {
  freeFailures: number;
  baseMs: number;
  maxMs: number;
  holdMs: number;
  forgetMs: number;
}

/** The wait after `failures` failures in a row. */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  const over = failures - policy.freeFailures;
  return over <= 0 ? 0 : Math.min(policy.maxMs, policy.baseMs * 2 ** (over - 1));
}

/** Whether a token was there, and when the next one will be. */
export interface BucketAnswer {
  ok: boolean;
  retryAfterMs: number;
}

/**
 * What keeping a piece of a mirror recording did: `kept`, or `snapshot-needed` when there is
 * no snapshot to build on or what followed it outgrew the limit (then nothing is kept until
 * the next snapshot).
 */
export type MirrorKeep = 'kept' | 'snapshot-needed';

/** How many waits "usually answers within" looks at: recent enough to follow the day. */
export const RECENT_WAITS = 25;

export interface LiveState {
  /** Counts a helper's connection (a socket, identified across processes). */
  helperConnected(helperId: string, connectionId: string): Promise<void>;
  /** Resolves with how many connections the helper still has. */
  helperDisconnected(helperId: string, connectionId: string, at: number): Promise<number>;
  /** Helpers with at least one connection. */
  connectedHelpers(): Promise<Set<string>>;
  /** When the helper's last connection ended; undefined if connected or never seen. */
  offlineSince(helperId: string): Promise<number | undefined>;

  /** Keeps a follow token (by its hash) until it is taken or `ttlMs` passes. */
  putFollowToken(tokenHash: string, grant: FollowTokenGrant, ttlMs: number): Promise<void>;
  /** The grant, once: it is deleted in the same step, so a second use gets nothing. */
  takeFollowToken(tokenHash: string): Promise<FollowTokenGrant | undefined>;

  /**
   * Takes a token from the bucket `key` (full when first seen), in one atomic step. Answers
   * whether there was one and when the next will be.
   */
  takeToken(key: string, limit: RateLimit): Promise<BucketAnswer>;
  /** Puts back a token taken from `key` (never above the burst): the attempt cost nothing. */
  returnToken(key: string, limit: RateLimit): Promise<void>;

  /**
   * Claims the turn of `key` (one name from one address, say) in one atomic step: refused
   * while another attempt holds it or while the key is backing off after failures.
   */
  claimTurn(key: string, policy: BackoffPolicy): Promise<BucketAnswer>;
  /** Ends the turn: a failure lengthens the back-off; a success forgets the key. */
  endTurn(key: string, failed: boolean, policy: BackoffPolicy): Promise<void>;

  /**
   * Follow mode: keeps `change` as the latest for its key. A navigation from another page
   * load than the kept one (see `startsAnotherPageLoad`) first drops everything kept: the
   * fields, scroll and selection of a page that is gone.
   */
  putChange(conversationId: string, change: StoredChange): Promise<void>;
  /** The latest change per key, oldest first. */
  getChanges(conversationId: string): Promise<StoredChange[]>;
  clearChanges(conversationId: string): Promise<void>;

  /**
   * Mirror mode: keeps a piece of the recording for a helper who opens late. The first piece
   * of a `full` batch replaces everything kept; the total stays within `maxBytes`.
   */
  putMirrorPart(
    conversationId: string,
    part: KeptMirrorPart,
    maxBytes: number,
  ): Promise<MirrorKeep>;
  /** The latest snapshot and what followed it, in order. */
  getMirror(conversationId: string): Promise<KeptMirrorPart[]>;
  clearMirror(conversationId: string): Promise<void>;

  /**
   * Visitors' presence as a lease: this process holds sockets of these conversations, and
   * says so again before `until`. A process that dies renews nothing, so its visitors' leases
   * run out and any other process can tell they are gone.
   */
  holdVisitors(conversationIds: readonly string[], until: number): Promise<void>;
  /** When each conversation's visitor lease ends; undefined where none was ever held. */
  visitorLeases(conversationIds: readonly string[]): Promise<(number | undefined)[]>;

  /** Keeps how long a visitor waited for a helper's first answer (a capped recent list). */
  noteWait(waitMs: number): Promise<void>;
  /** The most recent waits, newest first: what "usually answers within" is worked out from. */
  recentWaits(): Promise<number[]>;

  close(): Promise<void>;
}

/** The key under which the page itself (the latest navigation) is kept. */
export const PAGE_KEY = 'page';

/**
 * Whether `change` reports another page load (a reload, another tab) than the navigation kept:
 * then nothing kept of the page before holds. A navigation that names no page load is the same
 * page load; one that does, after a kept one that named another or none, is not.
 */
export function startsAnotherPageLoad(kept: StoredChange | undefined, change: StoredChange) {
  if (change.type !== 'navigate' || change.value.load === undefined) return false;
  return kept?.type === 'navigate' && kept.value.load !== change.value.load;
}
