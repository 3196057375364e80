/**
 * Whether the visitor is still there (rule 9), as the helper sees it: online, away, gone,
 * counted over every tab, and a waiting chat whose visitor left leaving the queue in time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/domain.ts';
import { rooms } from '../../server/realtime/rooms.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  newId,
  nextEvent,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';
/** How long without a connection before the helper sees the visitor as gone. */
const GONE_MS = 300;
/** How long a waiting chat keeps its place once its visitor has no connection. */
const LEAVE_QUEUE_MS = 1000;

describe('the visitor’s presence', () => {
  let h: Harness;
  beforeEach(async () => {
    // graceMs sets the sweep's pace: every 25 ms.
    h = await startHarness({
      graceMs: 100,
      visitorGoneMs: GONE_MS,
      waitingVisitorTimeoutMs: LEAVE_QUEUE_MS,
      helpRequestRate: { burst: 100, perSecond: 100 },
    });
  });
  afterEach(() => h.stop());

  async function helper(availability: 'available' | 'away'): Promise<AgentClient> {
    await h.addHelper('Alex', PASSWORD);
    const alex = await h.agent('Alex', PASSWORD);
    expect(await alex.emitWithAck('helper:availability', { availability })).toMatchObject({
      ok: true,
    });
    return alex;
  }

  /** A chat asked for with a first message; its visitor connects at once. */
  async function ask(text = 'Hello?') {
    const { json } = await h.requestHelp(helpRequestBody({ message: { id: newId(), text } }));
    const visitor = await h.visitor(json.visitorToken);
    return { conversationId: json.conversationId, token: json.visitorToken, visitor };
  }

  /** The helper's next view of this conversation showing the visitor `presence`. */
  const seen = (alex: AgentClient, conversationId: string, presence: Presence) =>
    nextEvent(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.presence === presence,
    );

  const visibility = (visitor: VisitorClient, conversationId: string, visible: boolean) =>
    visitor.emitWithAck('visitor:visibility', { conversationId, visible });

  it('shows the helper the visitor online, away while the page is hidden, away when they leave, then gone', async () => {
    const alex = await helper('available');
    const { json } = await h.requestHelp(helpRequestBody({ message: { id: newId(), text: 'Hi' } }));
    const conversationId = json.conversationId;
    // Asked with a page open: online from the start, and the visitor's page connects next.
    await waitFor(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.firstMessage === 'Hi' && c.presence === 'online',
    );

    const connected = seen(alex, conversationId, 'online');
    const visitor = await h.visitor(json.visitorToken);
    await connected;

    const hidden = seen(alex, conversationId, 'away');
    expect(await visibility(visitor, conversationId, false)).toEqual({ ok: true, data: null });
    await hidden;

    const shown = seen(alex, conversationId, 'online');
    expect(await visibility(visitor, conversationId, true)).toEqual({ ok: true, data: null });
    await shown;

    const left = seen(alex, conversationId, 'away');
    const leftAt = Date.now();
    visitor.disconnect();
    await left;

    await seen(alex, conversationId, 'gone');
    // Not at once: a page reload or a short drop in the connection is only "away".
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(GONE_MS - 10);

    // Coming back makes them online again.
    const back = seen(alex, conversationId, 'online');
    await h.visitor(json.visitorToken);
    await back;
  });

  it('counts every tab: one shown is enough to be online, and closing one tab changes nothing', async () => {
    const alex = await helper('available');
    const { conversationId, token, visitor: first } = await ask();
    await waitFor(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.presence === 'online',
    );
    const second = await h.visitor(token);
    // What the helper is shown, each time it changes.
    const updates: Presence[] = [];
    alex.on('conversation:updated', (c) => {
      if (c.id !== conversationId || !c.presence) return;
      if (c.presence !== (updates.at(-1) ?? 'online')) updates.push(c.presence);
    });

    // One tab hidden, the other shown: online.
    expect(await visibility(first, conversationId, false)).toMatchObject({ ok: true });
    // Both hidden: away. Shown again: online.
    const away = seen(alex, conversationId, 'away');
    expect(await visibility(second, conversationId, false)).toMatchObject({ ok: true });
    await away;
    const online = seen(alex, conversationId, 'online');
    expect(await visibility(second, conversationId, true)).toMatchObject({ ok: true });
    await online;

    // The hidden tab closes; the shown one stays.
    first.disconnect();
    const visitors = h.server.io.of('/visitor');
    await expect
      .poll(
        async () => (await visitors.in(rooms.conversation(conversationId)).fetchSockets()).length,
      )
      .toBe(1);
    // A round trip through the remaining tab, then the count is settled.
    expect(await visibility(second, conversationId, true)).toMatchObject({ ok: true });
    expect((await h.store.getConversation(conversationId))?.presence).toMatchObject({
      state: 'online',
      connected: true,
    });
    expect(updates).toEqual(['away', 'online']);
  });

  it('takes a waiting chat out of the queue when its visitor has been gone past the limit, ended by the system', async () => {
    const alex = await helper('away');
    const { conversationId, token, visitor } = await ask('Is anyone there?');
    await waitFor(alex, 'queue:changed', (q) => q.waiting.some((c) => c.id === conversationId));

    const leftQueue = nextEvent(alex, 'queue:changed', (q) => q.gone.includes(conversationId));
    const leftAt = Date.now();
    visitor.disconnect();
    await leftQueue;
    expect(Date.now() - leftAt).toBeGreaterThanOrEqual(LEAVE_QUEUE_MS - 10);
    expect(await h.store.getConversation(conversationId)).toMatchObject({
      status: 'ended',
      endedBy: 'system',
    });

    // A helper coming on duty is not given it; the visitor coming back is told it ended.
    const alexAvailable = await alex.emitWithAck('helper:availability', {
      availability: 'available',
    });
    expect(alexAvailable).toMatchObject({ ok: true, data: { openConversations: 0 } });
    const back = await h.visitor(token);
    expect(await waitFor(back, 'conversation:updated')).toMatchObject({
      status: 'ended',
      endedBy: 'system',
    });
  });

  it('keeps the place of a waiting visitor who comes back before the limit', async () => {
    const alex = await helper('away');
    const first = await ask('First in line');
    const second = await ask('Second in line');
    await waitFor(alex, 'queue:changed', (q) => q.waiting.some((c) => c.queuePosition === 2));

    // The first visitor reloads the page; the second leaves for good, just after.
    first.visitor.disconnect();
    await expect
      .poll(async () => (await h.store.getConversation(first.conversationId))?.presence?.connected)
      .toBe(false);
    second.visitor.disconnect();
    const back = await h.visitor(first.token);
    await waitFor(back, 'conversation:updated', (c) => c.queuePosition === 1);

    // By the time the second leaves the queue, the first was gone longer, had it not come back.
    const secondLeft = nextEvent(alex, 'queue:changed', (q) =>
      q.gone.includes(second.conversationId),
    );
    await secondLeft;
    expect(await h.store.getConversation(first.conversationId)).toMatchObject({
      status: 'waiting',
      presence: { state: 'online', connected: true },
    });
    // The next helper on duty gets them.
    const served = nextEvent(back, 'conversation:updated', (c) => c.status === 'assigned');
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    expect(await served).toMatchObject({ helperName: 'Alex' });
  });

  it('refuses visibility for another conversation, and a malformed one', async () => {
    const mine = await ask();
    const theirs = await ask();
    expect(await visibility(mine.visitor, theirs.conversationId, false)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(
      await mine.visitor.emitWithAck('visitor:visibility', {
        conversationId: mine.conversationId,
        visible: 'no',
      } as never),
    ).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    // Neither visitor shows as away.
    for (const id of [mine.conversationId, theirs.conversationId]) {
      expect((await h.store.getConversation(id))?.presence?.state).toBe('online');
    }
  });
});
