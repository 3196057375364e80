/**
 * What every `LiveState` must do: the in-memory one (one process) and the Redis one (shared by
 * processes), against the same cases, on real time and, for Redis, the machine's real Redis.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { KeptMirrorPart } from '../../protocol/mirror.ts';
import type { BackoffPolicy, LiveState } from '../../server/store/live-state.ts';
import { MemoryLiveState } from '../../server/store/memory-live-state.ts';
import { RedisLiveState } from '../../server/store/redis-live-state.ts';

const redisUrl = inject('services').redis;

interface Kind {
  name: string;
  /** A live state; `again()` opens a second one on the same data (another process). */
  open(options?: { leaseMs?: number }): Promise<{ live: LiveState; again(): Promise<LiveState> }>;
}

const opened: LiveState[] = [];
const prefixes: string[] = [];

const memory: Kind = {
  name: 'memory',
  async open() {
    const live = new MemoryLiveState();
    return { live, again: async () => live };
  },
};

const redis = (url: string): Kind => ({
  name: 'Redis',
  async open(options = {}) {
    const prefix = `help-test-${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    const start = () => RedisLiveState.open({ url, prefix, ...options });
    const live = await start();
    opened.push(live);
    return {
      live,
      async again() {
        const other = await start();
        opened.push(other);
        return other;
      },
    };
  },
});

const kinds = redisUrl ? [memory, redis(redisUrl)] : [memory];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((live) => live.close()));
  if (redisUrl && prefixes.length > 0) {
    const client = new Redis(redisUrl);
    for (const prefix of prefixes.splice(0)) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
    }
    client.disconnect();
  }
});

const part = (batch: number, full: boolean, index: number, bytes: number[]): KeptMirrorPart => ({
  mirrorId: 'm1',
  batch,
  full,
  part: index,
  parts: 2,
  data: new Uint8Array(bytes),
});

describe.each(kinds)('the $name live state', (kind) => {
  it('counts a helper’s connections, and knows since when the last one ended', async () => {
    const { live } = await kind.open();
    await live.helperConnected('alex', 'c1');
    await live.helperConnected('alex', 'c2');
    expect(await live.helperDisconnected('alex', 'c1', 1000)).toBe(1);
    expect(await live.connectedHelpers()).toEqual(new Set(['alex']));
    expect(await live.offlineSince('alex')).toBeUndefined();
    // A connection it never counted changes nothing.
    expect(await live.helperDisconnected('alex', 'unknown', 1500)).toBe(1);
    expect(await live.helperDisconnected('alex', 'c2', 2000)).toBe(0);
    expect(await live.connectedHelpers()).toEqual(new Set());
    expect(await live.offlineSince('alex')).toBe(2000);
    // A late goodbye from a connection already gone does not move that time.
    expect(await live.helperDisconnected('alex', 'c1', 5000)).toBe(0);
    expect(await live.offlineSince('alex')).toBe(2000);
    await live.helperConnected('alex', 'c3');
    expect(await live.offlineSince('alex')).toBeUndefined();
    expect(await live.offlineSince('never-seen')).toBeUndefined();
  });

  it('hands out a follow token once, and not after it expires', async () => {
    const { live, again } = await kind.open();
    const grant = { conversationId: 'c', helperId: 'alex', grantId: 'g' };
    await live.putFollowToken('once', grant, 60_000);
    await live.putFollowToken('brief', grant, 50);
    const other = await again();
    expect(await other.takeFollowToken('once')).toEqual(grant);
    expect(await live.takeFollowToken('once')).toBeUndefined();
    await sleep(120);
    expect(await live.takeFollowToken('brief')).toBeUndefined();
  });

  it('takes tokens from a bucket up to its burst, says when the next comes, and takes back one given back', async () => {
    const { live, again } = await kind.open();
    const limit = { burst: 3, perSecond: 1 };
    const other = await again();
    const answers = [
      await live.takeToken('k', limit),
      await other.takeToken('k', limit),
      await live.takeToken('k', limit),
    ];
    expect(answers.every((a) => a.ok)).toBe(true);
    const refused = await other.takeToken('k', limit);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    await live.returnToken('k', limit);
    expect((await live.takeToken('k', limit)).ok).toBe(true);
    // Given back more than was taken, a bucket still holds no more than its burst.
    for (let i = 0; i < 5; i++) await live.returnToken('k', limit);
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push((await live.takeToken('k', limit)).ok);
    expect(taken).toEqual([true, true, true, false]);
    // Another key has its own bucket.
    expect((await live.takeToken('other', limit)).ok).toBe(true);
  });

  it('gives a turn to one attempt at a time, and backs off after failures', async () => {
    const { live, again } = await kind.open();
    const policy: BackoffPolicy = {
      freeFailures: 1,
      baseMs: 150,
      maxMs: 1000,
      holdMs: 10_000,
      forgetMs: 60_000,
    };
    const other = await again();
    expect((await live.claimTurn('alex@1', policy)).ok).toBe(true);
    const held = await other.claimTurn('alex@1', policy);
    expect(held.ok).toBe(false);
    expect(held.retryAfterMs).toBeGreaterThan(9000);
    // A free failure: the next attempt may go at once.
    await live.endTurn('alex@1', true, policy);
    expect((await other.claimTurn('alex@1', policy)).ok).toBe(true);
    // The next failure costs 150 ms.
    await other.endTurn('alex@1', true, policy);
    const backing = await live.claimTurn('alex@1', policy);
    expect(backing.ok).toBe(false);
    expect(backing.retryAfterMs).toBeGreaterThan(0);
    expect(backing.retryAfterMs).toBeLessThanOrEqual(150);
    await sleep(200);
    expect((await live.claimTurn('alex@1', policy)).ok).toBe(true);
    // A success forgets the failures: no back-off after the next failure either.
    await live.endTurn('alex@1', false, policy);
    expect((await live.claimTurn('alex@1', policy)).ok).toBe(true);
    await live.endTurn('alex@1', true, policy);
    expect((await live.claimTurn('alex@1', policy)).ok).toBe(true);
  });

  it('keeps the latest follow-mode change per key, in the order they were last set', async () => {
    const { live, again } = await kind.open();
    const change = (key: string, at: number) => ({ key, at, change: { type: 'scroll' } });
    await live.putChange('c', change('a', 1) as never);
    await live.putChange('c', change('b', 2) as never);
    const other = await again();
    await other.putChange('c', change('a', 3) as never);
    expect(await live.getChanges('c')).toEqual([change('b', 2), change('a', 3)]);
    expect(await live.getChanges('elsewhere')).toEqual([]);
    await other.clearChanges('c');
    expect(await live.getChanges('c')).toEqual([]);
  });

  it('a navigation from another page load drops what was kept of the page before', async () => {
    const { live, again } = await kind.open();
    const at = '2025-01-01T00:00:00.000Z';
    const page = (load?: string) => ({
      type: 'navigate' as const,
      key: 'page' as const,
      value: { url: 'https://shop.example/a', title: 'A', ...(load ? { load } : {}) },
      at,
    });
    const name = (value: string) => ({
      type: 'field' as const,
      key: '#name',
      value: { value },
      at,
    });
    await live.putChange('c', page('load-1'));
    await live.putChange('c', name('Dana'));
    // The same page load again (a single-page app's route): the field stays.
    await live.putChange('c', page('load-1'));
    await live.putChange('c', page());
    expect(await live.getChanges('c')).toEqual([name('Dana'), page()]);
    // A reload: only what the new page load says from here on.
    const other = await again();
    await other.putChange('c', page('load-2'));
    expect(await live.getChanges('c')).toEqual([page('load-2')]);
    await live.putChange('c', name('Ada'));
    await other.putChange('c', page('load-2'));
    expect(await live.getChanges('c')).toEqual([name('Ada'), page('load-2')]);
  });

  it('keeps a mirror recording from its snapshot on, within its size, bytes intact', async () => {
    const { live, again } = await kind.open();
    const other = await again();
    expect(await live.putMirrorPart('c', part(1, false, 0, [1]), 100)).toBe('snapshot-needed');
    // Bytes of every value, newlines included, come back as they went.
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect(await live.putMirrorPart('c', part(2, true, 0, all.slice(0, 60)), 100)).toBe('kept');
    expect(await other.putMirrorPart('c', part(2, true, 1, all.slice(60, 90)), 100)).toBe('kept');
    expect(await other.getMirror('c')).toEqual([
      part(2, true, 0, all.slice(0, 60)),
      part(2, true, 1, all.slice(60, 90)),
    ]);
    // Past the size, nothing is kept until the next snapshot.
    expect(await live.putMirrorPart('c', part(3, false, 0, all.slice(0, 20)), 100)).toBe(
      'snapshot-needed',
    );
    expect(await live.getMirror('c')).toEqual([]);
    expect(await live.putMirrorPart('c', part(4, false, 0, [1]), 100)).toBe('snapshot-needed');
    expect(await live.putMirrorPart('c', part(5, true, 0, [7, 10, 7]), 100)).toBe('kept');
    expect(await live.getMirror('c')).toEqual([part(5, true, 0, [7, 10, 7])]);
    await other.clearMirror('c');
    expect(await live.getMirror('c')).toEqual([]);
  });

  it('keeps visitors’ leases: the latest end wins, and a conversation never held has none', async () => {
    const { live, again } = await kind.open();
    const other = await again();
    const now = Date.now();
    await live.holdVisitors(['c1', 'c2'], now + 5000);
    // Another process holds a second tab of c1 for longer; a late renewal for less changes
    // nothing.
    await other.holdVisitors(['c1'], now + 9000);
    await live.holdVisitors(['c1'], now + 7000);
    expect(await other.visitorLeases(['c1', 'c2', 'never'])).toEqual([
      now + 9000,
      now + 5000,
      undefined,
    ]);
    await live.holdVisitors([], now);
    expect(await live.visitorLeases([])).toEqual([]);
  });

  it('remembers the most recent waits, newest first', async () => {
    const { live, again } = await kind.open();
    const other = await again();
    for (let i = 1; i <= 30; i++) await (i % 2 ? live : other).noteWait(i * 1000);
    const waits = await live.recentWaits();
    expect(waits).toHaveLength(25);
    expect(waits.slice(0, 3)).toEqual([30_000, 29_000, 28_000]);
  });
});

describe.skipIf(!redisUrl)('the Redis live state across processes', () => {
  it('stops counting the connections of a process that died, once their lease runs out', async () => {
    const kind = redis(redisUrl ?? '');
    const { live, again } = await kind.open({ leaseMs: 300 });
    const survivor = await again();
    await live.helperConnected('sam', 'c1');
    await survivor.helperConnected('alex', 'c2');
    expect(await survivor.connectedHelpers()).toEqual(new Set(['sam', 'alex']));
    // The process holding Sam's connection dies: it says goodbye to no one.
    const died = Date.now();
    await live.close();
    await sleep(600);
    // Alex's lease is renewed by a living process; Sam's ran out.
    expect(await survivor.connectedHelpers()).toEqual(new Set(['alex']));
    const since = await survivor.offlineSince('sam');
    expect(since).toBeGreaterThanOrEqual(died);
    expect(since).toBeLessThanOrEqual(died + 400);
  });
});
