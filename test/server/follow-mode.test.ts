import type { Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowGrant } from '../../protocol/cobrowse.ts';
import {
  type AgentClient,
  type Harness,
  nextEvent,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';

/** A real server, helper Alex available, and a visitor whose conversation he was given. */
async function assignedToAlex() {
  const h = await startHarness();
  await h.addHelper('Alex');
  const alex = await h.agent('Alex', 'correct horse battery');
  await alex.emitWithAck('helper:availability', { availability: 'available' });
  const { json } = await h.requestHelp();
  const visitor = await h.visitor(json.visitorToken);
  await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
  return { h, alex, visitor, conversationId: json.conversationId };
}

describe('follow mode on the server', () => {
  let h: Harness;
  let alex: AgentClient;
  let visitor: VisitorClient;
  let conversationId: string;

  beforeEach(async () => {
    ({ h, alex, visitor, conversationId } = await assignedToAlex());
  });
  afterEach(() => h.stop());

  const navigate = (url: string) => ({
    conversationId,
    type: 'navigate' as const,
    key: 'page' as const,
    value: { url, title: 'Page' },
  });
  const scroll = (ratioY: number) => ({
    conversationId,
    type: 'scroll' as const,
    key: 'window',
    value: { anchor: { path: '#shipping', offsetRatio: 0.25 }, ratioX: 0, ratioY },
  });

  async function start(): Promise<FollowGrant> {
    const answer = await alex.emitWithAck('cobrowse:start', { conversationId });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data;
  }

  it('sends nothing of the page until the helper follows, then tells the visitor', async () => {
    const before = await visitor.emitWithAck('cobrowse:change', navigate('https://shop.example/a'));
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const told = nextEvent(visitor, 'cobrowse:status', (s) => s.active);
    const grant = await start();
    expect(await told).toEqual({ conversationId, active: true, helperName: 'Alex' });
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(grant.state).toEqual([]);
  });

  it('relays each change to the copy and keeps the latest per key for one that joins late', async () => {
    const grant = await start();
    const copy = await h.follower(grant.token);
    await waitFor(copy, 'cobrowse:state');
    const relayed = nextEvent(copy, 'cobrowse:change', (c) => c.type === 'scroll');
    expect(
      await visitor.emitWithAck('cobrowse:change', navigate('https://shop.example/a')),
    ).toEqual({
      ok: true,
      data: null,
    });
    await visitor.emitWithAck('cobrowse:change', scroll(0.1));
    expect(await relayed).toMatchObject({ type: 'scroll', key: 'window', value: { ratioY: 0.1 } });
    await visitor.emitWithAck('cobrowse:change', navigate('https://shop.example/b'));
    await visitor.emitWithAck('cobrowse:change', scroll(0.6));

    // A second copy (a reload of the pane) gets the current page and scroll, nothing older.
    const late = await h.follower((await start()).token);
    const { changes } = await waitFor(late, 'cobrowse:state');
    expect(changes.map((c) => [c.key, c.value])).toEqual([
      ['page', { url: 'https://shop.example/b', title: 'Page' }],
      ['window', { anchor: { path: '#shipping', offsetRatio: 0.25 }, ratioX: 0, ratioY: 0.6 }],
    ]);
  });

  it("refuses a used, unknown or other conversation's token, and a helper not assigned", async () => {
    const grant = await start();
    await h.follower(grant.token);
    await expect(h.follower(grant.token)).rejects.toThrow(/follow token/);
    await expect(h.follower('x'.repeat(43))).rejects.toThrow(/follow token/);

    // Sam cannot follow Alex's visitor, and Alex's token for another conversation shows only that one.
    await h.addHelper('Sam');
    const sam = await h.agent('Sam', 'correct horse battery');
    const refused = await sam.emitWithAck('cobrowse:start', { conversationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const other = await h.requestHelp();
    const otherGrant = await alex.emitWithAck('cobrowse:start', {
      conversationId: other.json.conversationId,
    });
    if (!otherGrant.ok) throw new Error(otherGrant.error.message);
    const otherCopy = await h.follower(otherGrant.data.token);
    await waitFor(otherCopy, 'cobrowse:state');
    const mine = await h.follower((await start()).token);
    const seen = nextEvent(mine, 'cobrowse:change');
    await visitor.emitWithAck('cobrowse:change', navigate('https://shop.example/private'));
    await seen;
    // The marker: the other visitor's own change reaches the other copy. Had the private
    // page been relayed there, it would have arrived first.
    const otherReceived: string[] = [];
    otherCopy.on('cobrowse:change', (c) =>
      otherReceived.push(c.type === 'navigate' ? c.value.url : c.type),
    );
    const marker = nextEvent(otherCopy, 'cobrowse:change');
    const otherVisitor = await h.visitor(other.json.visitorToken);
    await otherVisitor.emitWithAck('cobrowse:change', {
      ...navigate('https://shop.example/other'),
      conversationId: other.json.conversationId,
    });
    await marker;
    expect(otherReceived).toEqual(['https://shop.example/other']);
  });

  it('stops on "Stop sharing": everyone is told, and later changes are refused', async () => {
    const grant = await start();
    const copy = await h.follower(grant.token);
    const helperTold = nextEvent(alex, 'cobrowse:status', (s) => !s.active);
    const copyTold = nextEvent(copy, 'cobrowse:status', (s) => !s.active);
    const stopped = await visitor.emitWithAck('cobrowse:stop', { conversationId });
    expect(stopped).toEqual({ ok: true, data: { conversationId, active: false } });
    await helperTold;
    await copyTold;
    const after = await visitor.emitWithAck('cobrowse:change', scroll(0.5));
    expect(after).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h.live.getChanges(conversationId)).toEqual([]);
  });

  it('refuses malformed changes with a clear error', async () => {
    await start();
    const bad = [
      { ...navigate('javascript:alert(1)') },
      { ...scroll(2) },
      { ...scroll(0.5), key: '' },
      { ...scroll(0.5), key: 'x'.repeat(2000) },
      { conversationId, type: 'field', key: '#card', value: '4111 1111 1111 1111' },
      { ...navigate('https://shop.example'), extra: true },
    ];
    for (const payload of bad) {
      const answer = await (visitor as unknown as Socket).emitWithAck('cobrowse:change', payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect(await h.live.getChanges(conversationId)).toEqual([]);
  });
});

describe('passing control on the server', () => {
  let h: Harness;
  let alex: AgentClient;
  let visitor: VisitorClient;
  let conversationId: string;

  beforeEach(async () => {
    ({ h, alex, visitor, conversationId } = await assignedToAlex());
    await visitor.emitWithAck('conversation:page', {
      conversationId,
      url: 'https://shop.example/checkout',
      title: 'Checkout',
    });
  });
  afterEach(() => h.stop());

  const scrollChange = () => ({
    conversationId,
    type: 'scroll' as const,
    key: 'window',
    value: { anchor: null, ratioX: 0, ratioY: 0.5 },
  });

  it("needs following, then the visitor's Allow; a copy drives the page only while granted", async () => {
    // Bad input gets a clear error and changes nothing.
    const loose = (socket: AgentClient | VisitorClient) => socket as unknown as Socket;
    for (const [socket, event, payload] of [
      [visitor, 'control:answer', { conversationId, allow: 'yes' }],
      [visitor, 'control:answer', { conversationId }],
      [alex, 'control:request', { conversationId: 'x' }],
      [alex, 'cobrowse:point', { conversationId, path: 'p'.repeat(2000) }],
      [alex, 'cobrowse:refresh', { conversationId, extra: 1 }],
    ] as const) {
      const answer = await loose(socket).emitWithAck(event, payload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    expect((await h.store.getConversation(conversationId))?.control).toBeUndefined();

    const early = await alex.emitWithAck('control:request', { conversationId });
    expect(early).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const unasked = await visitor.emitWithAck('control:answer', { conversationId, allow: true });
    expect(unasked).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const grant = await alex.emitWithAck('cobrowse:start', { conversationId });
    if (!grant.ok) throw new Error(grant.error.message);
    const copy = await h.follower(grant.data.token);
    await waitFor(copy, 'cobrowse:state');
    const refused = await copy.emitWithAck('control:change', scrollChange());
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const asked = nextEvent(visitor, 'control:status', (s) => s.state === 'requested');
    expect(await alex.emitWithAck('control:request', { conversationId })).toMatchObject({
      ok: true,
      data: { state: 'requested', helperName: 'Alex' },
    });
    await asked;
    await visitor.emitWithAck('control:answer', { conversationId, allow: true });
    const applied = nextEvent(visitor, 'control:apply');
    expect(await copy.emitWithAck('control:change', scrollChange())).toEqual({
      ok: true,
      data: null,
    });
    expect(await applied).toMatchObject({ type: 'scroll', value: { ratioY: 0.5 } });

    // Never to another site.
    const away = await copy.emitWithAck('control:change', {
      conversationId,
      type: 'navigate',
      key: 'page',
      value: { url: 'https://evil.example/', title: 'x' },
    });
    expect(away).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Taken back: refused again at once.
    await visitor.emitWithAck('control:answer', { conversationId, allow: false });
    const after = await copy.emitWithAck('control:change', scrollChange());
    expect(after).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('rules that end access to the page, each shown by what a person would notice', () => {
  let h: Harness;
  let alex: AgentClient;
  let visitor: VisitorClient;
  let conversationId: string;
  let clock = Date.now();
  let visitorEvents: string[] = [];

  beforeEach(async () => {
    clock = Date.now();
    h = await startHarness({}, undefined, () => clock);
    await h.addHelper('Alex');
    alex = await h.agent('Alex', 'correct horse battery');
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    const { json } = await h.requestHelp();
    conversationId = json.conversationId;
    visitor = await h.visitor(json.visitorToken);
    visitorEvents = [];
    visitor.onAny((event: string) => visitorEvents.push(event));
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
    await visitor.emitWithAck('conversation:page', {
      conversationId,
      url: 'https://shop.example/checkout',
      title: 'Checkout',
    });
  });
  afterEach(() => h.stop());

  const start = async (): Promise<FollowGrant> => {
    const answer = await alex.emitWithAck('cobrowse:start', { conversationId });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.data;
  };
  const scroll = () => ({
    conversationId,
    type: 'scroll' as const,
    key: 'window',
    value: { anchor: null, ratioX: 0, ratioY: 0.5 },
  });

  it('a follow started again needs a new Allow', async () => {
    const copy = await h.follower((await start()).token);
    await waitFor(copy, 'cobrowse:state');
    await alex.emitWithAck('control:request', { conversationId });
    await visitor.emitWithAck('control:answer', { conversationId, allow: true });
    expect(await copy.emitWithAck('control:change', scroll())).toEqual({ ok: true, data: null });

    await visitor.emitWithAck('cobrowse:stop', { conversationId });
    const again = await h.follower((await start()).token);
    expect(await waitFor(again, 'control:status')).toEqual({ conversationId, state: 'none' });
    const refused = await again.emitWithAck('control:change', scroll());
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a follow token no one spent within its minute buys nothing', async () => {
    const late = await start();
    const onTime = await start();
    clock += 59_000;
    await waitFor(await h.follower(onTime.token), 'cobrowse:state');
    clock += 2_000;
    await expect(h.follower(late.token)).rejects.toThrow(/follow token/);
  });

  it('point and refresh reach the visitor only while the page is followed', async () => {
    const before = await alex.emitWithAck('cobrowse:point', { conversationId, path: '#pay' });
    expect(before).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const refresh = await alex.emitWithAck('cobrowse:refresh', { conversationId });
    expect(refresh).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await start();
    const pointed = nextEvent(visitor, 'cobrowse:point');
    expect(await alex.emitWithAck('cobrowse:point', { conversationId, path: '#pay' })).toEqual({
      ok: true,
      data: null,
    });
    expect(await pointed).toEqual({ conversationId, path: '#pay' });
    // The refused ones were asked first: had they reached the visitor, they would be here.
    expect(visitorEvents.filter((e) => e === 'cobrowse:point' || e === 'cobrowse:refresh')).toEqual(
      ['cobrowse:point'],
    );
  });

  it('nothing is written to an ended conversation', async () => {
    await visitor.emitWithAck('conversation:end', { conversationId });
    const send = await visitor.emitWithAck('chat:send', {
      conversationId,
      id: 'after-the-end',
      text: 'Hello?',
    });
    expect(send).toMatchObject({ ok: false, error: { code: 'ended' } });
    const typing = await visitor.emitWithAck('chat:typing', { conversationId, typing: true });
    expect(typing).toMatchObject({ ok: false, error: { code: 'ended' } });
    const page = await visitor.emitWithAck('conversation:page', {
      conversationId,
      url: 'https://shop.example/after',
      title: 'After',
    });
    expect(page).toMatchObject({ ok: false, error: { code: 'ended' } });
    const reply = await alex.emitWithAck('chat:send', {
      conversationId,
      id: 'reply-after-end',
      text: 'Hi',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ended' } });
    expect(await h.store.listMessages(conversationId)).toEqual([]);
    expect((await h.store.getConversation(conversationId))?.currentPage?.url).toBe(
      'https://shop.example/checkout',
    );
  });

  it('a message id the helper already used is refused to the visitor, and never shown', async () => {
    const reply = await alex.emitWithAck('chat:send', {
      conversationId,
      id: 'shared-id-1',
      text: 'Hi, Ann',
    });
    expect(reply.ok).toBe(true);
    const helperHeard: string[] = [];
    alex.on('chat:message', (m) => helperHeard.push(m.text));
    const reused = await visitor.emitWithAck('chat:send', {
      conversationId,
      id: 'shared-id-1',
      text: 'Pretending to be the helper',
    });
    expect(reused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await visitor.emitWithAck('chat:send', {
      conversationId,
      id: 'marker-id-1',
      text: 'Real question',
    });
    await waitFor(alex, 'chat:message', (m) => m.text === 'Real question');
    expect(helperHeard).toEqual(['Real question']);
    expect((await h.store.listMessages(conversationId)).map((m) => [m.from, m.text])).toEqual([
      ['helper', 'Hi, Ann'],
      ['visitor', 'Real question'],
    ]);
  });
});
