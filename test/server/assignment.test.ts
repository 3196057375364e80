import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelpDesk } from '../../server/desk/desk.ts';
import { hashPassword, newId } from '../../server/desk/secrets.ts';
import { pickHelper, queueOrder } from '../../server/domain/assignment.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import type { HelperAccount } from '../../server/domain/helper-types.ts';
import { LocalStore } from '../../server/store/local-store.ts';
import { MemoryLiveState } from '../../server/store/memory-live-state.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  nextEvent,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';

describe('assignment over real sockets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('gives two helpers of capacity 1 one request each, queues the third, and hands it over when one ends', async () => {
    await h.addHelper('Alex');
    await h.addHelper('Sam');
    const alex = await h.agent('Alex', 'correct horse battery');
    const sam = await h.agent('Sam', 'correct horse battery');
    for (const agent of [alex, sam]) {
      const ack = await agent.emitWithAck('helper:availability', {
        availability: 'available',
        capacity: 1,
      });
      expect(ack.ok).toBe(true);
    }

    const first = await h.requestHelp();
    const second = await h.requestHelp();
    const third = await h.requestHelp();
    const [c1, c2, c3] = await Promise.all(
      [first, second, third].map((r) => h.store.getConversation(r.json.conversationId)),
    );
    expect(c1?.status).toBe('assigned');
    expect(c2?.status).toBe('assigned');
    expect(new Set([c1?.helperName, c2?.helperName])).toEqual(new Set(['Alex', 'Sam']));
    expect(c3?.status).toBe('waiting');

    // The third visitor is told they are first in line; helpers see it in the queue.
    const visitor3 = await h.visitor(third.json.visitorToken);
    const state = await waitFor(visitor3, 'conversation:updated');
    expect(state).toMatchObject({ status: 'waiting', queuePosition: 1, helpersAvailable: true });

    // Whoever had the first request ends it; the queued one goes to them.
    const ender = c1?.helperName === 'Alex' ? alex : sam;
    const handedOver = nextEvent(
      ender,
      'conversation:updated',
      (c) => c.id === third.json.conversationId && c.status === 'assigned',
    );
    const visitorTold = nextEvent(visitor3, 'conversation:updated', (c) => c.status === 'assigned');
    const ended = await ender.emitWithAck('conversation:end', {
      conversationId: first.json.conversationId,
    });
    expect(ended).toMatchObject({ ok: true, data: { status: 'ended' } });
    expect((await handedOver).helperName).toBe(c1?.helperName);
    expect((await visitorTold).helperName).toBe(c1?.helperName);
  });

  it('shows a waiting request to every helper and takes it off every queue when one accepts', async () => {
    await h.addHelper('Alex');
    await h.addHelper('Sam');
    const alex = await h.agent('Alex', 'correct horse battery');
    const sam = await h.agent('Sam', 'correct horse battery');
    const seenBySam = waitFor(sam, 'queue:changed', (q) => q.waiting.length === 1);
    const { json } = await h.requestHelp();
    const queue = await seenBySam;
    expect(queue.gone).toEqual([]);
    expect(queue.waiting[0]).toMatchObject({
      id: json.conversationId,
      queuePosition: 1,
      details: { agent: { browser: { name: 'Chrome' }, os: { name: 'Windows' } } },
    });
    const emptied = nextEvent(sam, 'queue:changed', (q) => q.gone.includes(json.conversationId));
    const accepted = await alex.emitWithAck('conversation:accept', {
      conversationId: json.conversationId,
    });
    expect(accepted).toMatchObject({ ok: true, data: { status: 'assigned', helperName: 'Alex' } });
    await emptied;
    const late = await sam.emitWithAck('conversation:accept', {
      conversationId: json.conversationId,
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('joins a helper who is away to the conversation whose code the visitor reads out', async () => {
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    const { json } = await h.requestHelp();
    const wrong = await alex.emitWithAck('conversation:join-by-code', {
      code: json.joinCode === '000000000' ? '000000001' : '000000000',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const spoken = json.joinCode.replace(/^(\d{3})(\d{3})/, '$1 $2 ');
    expect(spoken).toMatch(/^\d{3} \d{3} \d{3}$/);
    const joined = await alex.emitWithAck('conversation:join-by-code', { code: spoken });
    expect(joined).toMatchObject({
      ok: true,
      data: { id: json.conversationId, helperName: 'Alex' },
    });
  });
});

describe('the queue as it changes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('helpers get only the entry that changed; visitors only when their place changed', async () => {
    h = await startHarness();
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    const first = await h.requestHelp();
    const second = await h.requestHelp();
    const [one, two] = await Promise.all([
      h.visitor(first.json.visitorToken),
      h.visitor(second.json.visitorToken),
    ]);
    await waitFor(two, 'conversation:updated', (c) => c.queuePosition === 2);
    // A third arrives behind both: helpers get that one entry; the two ahead hear nothing
    // until something concerns them (the next thing each hears is the accept below).
    const oneHeard = nextEvent(one, 'conversation:updated');
    const twoHeard = nextEvent(two, 'conversation:updated');
    // (Presence changes of the two reach helpers as changes of their entries, not this one.)
    const arrival = nextEvent(alex, 'queue:changed', (q) =>
      q.waiting.some((e) => e.queuePosition === 3),
    );
    const third = await h.requestHelp();
    const change = await arrival;
    expect(change.gone).toEqual([]);
    expect(change.waiting.map((e) => [e.id, e.queuePosition])).toEqual([
      [third.json.conversationId, 3],
    ]);
    // The first is accepted: it leaves the queue, and the second moves up and is told so.
    const left = nextEvent(alex, 'queue:changed', (q) => q.gone.length > 0);
    await alex.emitWithAck('conversation:accept', { conversationId: first.json.conversationId });
    expect(await left).toEqual({ waiting: [], gone: [first.json.conversationId] });
    expect((await oneHeard).status).toBe('assigned');
    expect((await twoHeard).queuePosition).toBe(1);
    // On (re)connecting, a helper gets the whole queue once, in order.
    const sam = await h.addHelper('Sam').then(() => h?.agent('Sam', 'correct horse battery'));
    const full = await waitFor(sam as AgentClient, 'queue:updated');
    expect(full.waiting.map((e) => [e.id, e.queuePosition])).toEqual([
      [second.json.conversationId, 1],
      [third.json.conversationId, 2],
    ]);
  });
});

describe('join codes', () => {
  it('rate limits guesses per helper, with a clear error', async () => {
    const h = await startHarness({ joinCodeRate: { burst: 2, perSecond: 0.001 } });
    try {
      await h.addHelper('Alex');
      const alex = await h.agent('Alex', 'correct horse battery');
      for (const code of ['111111111', '222222222']) {
        const guess = await alex.emitWithAck('conversation:join-by-code', { code });
        expect(guess).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
      const third = await alex.emitWithAck('conversation:join-by-code', { code: '333333333' });
      expect(third).toMatchObject({
        ok: false,
        error: { code: 'rate_limited', message: expect.stringContaining('try again in') },
      });
    } finally {
      await h.stop();
    }
  });
});

describe('join codes, against every helper together and over time', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('wrong codes from all helpers share one limit; a right code costs nothing from it', async () => {
    h = await startHarness({ wrongJoinCodeRate: { burst: 3, perSecond: 0.001 } });
    const names = ['Alex', 'Sam', 'Kim', 'Lee'];
    for (const name of names) await h.addHelper(name);
    const [alex, sam, kim, lee] = await Promise.all(
      names.map((name) => h?.agent(name, 'correct horse battery') as Promise<AgentClient>),
    );
    const { json } = await h.requestHelp();
    // Right codes first: they leave the shared allowance untouched.
    const right = await alex?.emitWithAck('conversation:join-by-code', { code: json.joinCode });
    expect(right).toMatchObject({ ok: true });
    const answers = [];
    for (const [i, helper] of [sam, kim, lee, alex].entries()) {
      const guess = await helper?.emitWithAck('conversation:join-by-code', {
        code: `00000000${i}`,
      });
      answers.push(guess?.ok ? 'ok' : guess?.error.code);
    }
    // Each helper guessed once, well within their own limit: the fourth is refused all the same.
    expect(answers).toEqual(['not_found', 'not_found', 'not_found', 'rate_limited']);
  });

  it('a code runs out and the visitor is shown a new one; the old one no longer leads anywhere', async () => {
    h = await startHarness({ joinCodeTtlMs: 300 });
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    const { json } = await h.requestHelp();
    const visitor = await h.visitor(json.visitorToken);
    const renewed = await waitFor(
      visitor,
      'conversation:updated',
      (c) => c.joinCode !== json.joinCode,
      5_000,
    );
    expect(renewed.joinCode).toMatch(/^\d{9}$/);
    const old = await alex.emitWithAck('conversation:join-by-code', { code: json.joinCode });
    expect(old).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('assignment rules over the store (no sockets)', () => {
  let dir: string;
  let store: LocalStore;
  let desk: HelpDesk;
  const helpers: HelperAccount[] = [];
  /** The desk's clock, moved by hand: grace periods end when the test says so. */
  let now: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'help-desk-'));
    store = await LocalStore.open(dir);
    now = Date.parse('2026-12-01T10:00:00Z');
    desk = new HelpDesk(store, new MemoryLiveState(), {
      graceMs: 60_000,
      followTokenTtlMs: 60_000,
      joinCodeTtlMs: 30 * 60_000,
      visitorGoneMs: 60_000,
      waitingVisitorTimeoutMs: 10 * 60_000,
      now: () => new Date(now),
    });
    helpers.length = 0;
    for (const name of ['Alex', 'Sam']) {
      const helper = {
        id: newId(),
        name,
        passwordHash: await hashPassword('pw'),
        createdAt: new Date().toISOString(),
      };
      await store.addHelper(helper);
      helpers.push(helper);
    }
  });
  afterEach(async () => {
    desk.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('waits in the queue when no helper is available', async () => {
    const { record } = await desk.requestHelp(helpRequestBody());
    expect(record.status).toBe('waiting');
  });

  it('assigns to the available helper with the fewest open conversations', async () => {
    const [alex, sam] = helpers as [HelperAccount, HelperAccount];
    await desk.helperConnected(alex.id, 'alex-1');
    await desk.helperConnected(sam.id, 'sam-1');
    await desk.setAvailability(alex.id, { availability: 'available', capacity: 3 });
    const a = await desk.requestHelp(helpRequestBody());
    expect(a.record.helperName).toBe('Alex');
    await desk.setAvailability(sam.id, { availability: 'available', capacity: 3 });
    const b = await desk.requestHelp(helpRequestBody());
    expect(b.record.helperName).toBe('Sam');
    const c = await desk.requestHelp(helpRequestBody());
    // Both have one; the tie goes to whoever was assigned longest ago.
    expect(c.record.helperName).toBe('Alex');
  });

  it("re-queues a disconnected helper's conversations after the grace period, and not before a reconnect", async () => {
    const [alex] = helpers as [HelperAccount];
    await desk.helperConnected(alex.id, 'alex-1');
    await desk.setAvailability(alex.id, { availability: 'available', capacity: 2 });
    const { record } = await desk.requestHelp(helpRequestBody());
    expect(record.status).toBe('assigned');

    await desk.helperDisconnected(alex.id, 'alex-1');
    now += 30_000;
    await desk.helperConnected(alex.id, 'alex-2'); // back within the grace period
    now += 120_000;
    await desk.sweep();
    expect((await store.getConversation(record.id))?.status).toBe('assigned');

    await desk.helperDisconnected(alex.id, 'alex-2');
    now += 59_000;
    await desk.sweep();
    expect((await store.getConversation(record.id))?.status).toBe('assigned');
    now += 1_000;
    await desk.sweep();
    expect(await store.getConversation(record.id)).toMatchObject({ status: 'waiting' });
    expect((await store.getConversation(record.id))?.helperId).toBeUndefined();
  });

  it('orders the queue by priority, then age', () => {
    const at = (priority: number, createdAt: string) =>
      ({ id: createdAt, status: 'waiting', priority, createdAt }) as ConversationRecord;
    const order = queueOrder([
      at(0, '2026-01-01T10:00:02Z'),
      at(1, '2026-01-01T10:00:03Z'),
      at(0, '2026-01-01T10:00:01Z'),
    ]);
    expect(order.map((c) => c.id)).toEqual([
      '2026-01-01T10:00:03Z',
      '2026-01-01T10:00:01Z',
      '2026-01-01T10:00:02Z',
    ]);
  });

  it('never picks an away helper or one at capacity', () => {
    const load = (
      name: string,
      availability: 'available' | 'away',
      open: number,
      capacity: number,
    ) => ({
      helper: { id: name, name },
      prefs: { availability, capacity },
      open,
      lastAssignedAt: '',
    });
    expect(pickHelper([load('a', 'away', 0, 3), load('b', 'available', 2, 2)])).toBeUndefined();
    expect(
      pickHelper([load('a', 'available', 2, 3), load('b', 'available', 1, 3)])?.helper.name,
    ).toBe('b');
  });
});
