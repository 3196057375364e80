/**
 * A helper who loses a conversation loses the visitor's page at once, in each of the five
 * ways it can happen: another helper takes it over by code, it goes back to the queue after
 * the grace period, it ends, the helper signs out, the helper's account is removed. Real
 * server, real sockets, the real `volunteer` command.
 */
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/ack.ts';
import type { FollowGrant } from '../../protocol/cobrowse.ts';
import {
  type AgentClient,
  type FollowClient,
  type Harness,
  newId,
  nextEvent,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';
import { volunteer } from '../support/volunteer-cli.ts';

const PASSWORD = 'correct horse battery';

function data<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

/** Resolves with the reason once the server cuts the socket off. */
function cutOff(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

interface Scene {
  h: Harness;
  alex: AgentClient;
  alexCookie: string;
  sam: AgentClient;
  visitor: VisitorClient;
  conversationId: string;
  joinCode: string;
  /** Alex's copy of the visitor's page, in control. */
  copy: FollowClient;
  copyCutOff: Promise<string>;
  /** A token Alex was given for a second copy and has not used yet. */
  spare: FollowGrant;
}

/** Alex follows Ann's page and has control; Sam is signed in and available. */
async function alexInControl(graceMs = 60_000): Promise<Scene> {
  const h = await startHarness({ graceMs });
  await h.addHelper('Alex', PASSWORD);
  await h.addHelper('Sam', PASSWORD);
  const alexCookie = await h.signIn('Alex', PASSWORD);
  const alex = await h.agentWithCookie(alexCookie);
  data(await alex.emitWithAck('helper:availability', { availability: 'available' }));
  const { json } = await h.requestHelp();
  const { conversationId, joinCode } = json;
  const visitor = await h.visitor(json.visitorToken);
  await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
  data(
    await visitor.emitWithAck('conversation:page', {
      conversationId,
      url: 'https://shop.example/checkout',
      title: 'Checkout',
    }),
  );
  const first = data(await alex.emitWithAck('cobrowse:start', { conversationId }));
  const spare = data(await alex.emitWithAck('cobrowse:start', { conversationId }));
  const copy = await h.follower(first.token);
  const copyCutOff = cutOff(copy);
  await waitFor(copy, 'cobrowse:state');
  data(await alex.emitWithAck('control:request', { conversationId }));
  data(await visitor.emitWithAck('control:answer', { conversationId, allow: true }));
  await waitFor(copy, 'control:status', (s) => s.state === 'granted');
  // Before anything changes, Alex's copy drives the page and sees it.
  expect(await copy.emitWithAck('control:change', scrollTo(conversationId, 0.2))).toEqual({
    ok: true,
    data: null,
  });
  const sam = await h.agent('Sam', PASSWORD);
  data(await sam.emitWithAck('helper:availability', { availability: 'available' }));
  return { h, alex, alexCookie, sam, visitor, conversationId, joinCode, copy, copyCutOff, spare };
}

function scrollTo(conversationId: string, ratioY: number) {
  return {
    conversationId,
    type: 'scroll' as const,
    key: 'window',
    value: { anchor: null, ratioX: 0, ratioY },
  };
}

/** Every way Alex could still act on the visitor's page is refused with a code. */
async function alexActsInVain(alex: AgentClient, conversationId: string): Promise<void> {
  const ref = { conversationId };
  const answers = [
    await alex.emitWithAck('cobrowse:start', ref),
    await alex.emitWithAck('cobrowse:point', { conversationId, path: '#pay' }),
    await alex.emitWithAck('cobrowse:refresh', ref),
    await alex.emitWithAck('control:request', ref),
  ];
  for (const answer of answers) {
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(['forbidden', 'ended', 'unauthorized']).toContain(answer.error.code);
  }
}

/** The copy was told follow mode ended, then cut off; the spare token buys nothing. */
async function copyClosed(scene: Scene): Promise<void> {
  expect(await scene.copyCutOff).toBe('io server disconnect');
  await waitFor(scene.copy, 'cobrowse:status', (s) => !s.active);
  await expect(scene.h.follower(scene.spare.token)).rejects.toThrow(/follow token/);
}

/** Ann's page was told that following and control ended. */
async function visitorTold(scene: Scene): Promise<void> {
  await waitFor(scene.visitor, 'cobrowse:status', (s) => !s.active);
  await waitFor(scene.visitor, 'control:status', (s) => s.state === 'none');
}

/** Sam now has the conversation: he follows, and Ann's page reaches his copy, not Alex's. */
async function samFollows(scene: Scene): Promise<void> {
  const { h, sam, visitor, conversationId } = scene;
  await waitFor(
    sam,
    'conversation:updated',
    (c) => c.id === conversationId && c.helperName === 'Sam',
  );
  const grant = data(await sam.emitWithAck('cobrowse:start', { conversationId }));
  const samsCopy = await h.follower(grant.token);
  await waitFor(samsCopy, 'cobrowse:state');
  await waitFor(visitor, 'cobrowse:status', (s) => s.active && s.helperName === 'Sam');
  const seen = nextEvent(samsCopy, 'cobrowse:change');
  data(await visitor.emitWithAck('cobrowse:change', scrollTo(conversationId, 0.7)));
  expect((await seen).value).toMatchObject({ ratioY: 0.7 });
  // Sam has no control until Ann allows it to him.
  const refused = await samsCopy.emitWithAck('control:change', scrollTo(conversationId, 0.1));
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
}

/** Ann's next message goes to Sam and not to Alex, whose page is still open. */
async function alexHearsNothing(scene: Scene): Promise<void> {
  const { alex, sam, visitor, conversationId } = scene;
  const heardByAlex: string[] = [];
  alex.on('chat:message', (m) => heardByAlex.push(m.text));
  const samHears = nextEvent(sam, 'chat:message', (m) => m.text === 'Are you still there?');
  data(
    await visitor.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'Are you still there?',
    }),
  );
  await samHears;
  // The marker: an answer to Alex sent after the message was relayed. Anything meant for
  // Alex's socket before it would have arrived before it.
  await alex.emitWithAck('chat:history', { conversationId });
  expect(heardByAlex).toEqual([]);
}

describe('a helper who loses a conversation loses the visitor’s page at once', () => {
  let scene: Scene | undefined;
  afterEach(async () => {
    await scene?.h.stop();
    scene = undefined;
  });

  it('when another helper joins by code: asked first, then Alex is told and cut off', async () => {
    scene = await alexInControl();
    const { sam, alex, conversationId, joinCode } = scene;
    const asked = await sam.emitWithAck('conversation:join-by-code', { code: joinCode });
    expect(asked).toMatchObject({
      ok: false,
      error: { code: 'takeover_needed', context: { helperName: 'Alex' } },
    });
    // Asking changed nothing: Alex still drives the page.
    expect(await scene.copy.emitWithAck('control:change', scrollTo(conversationId, 0.3))).toEqual({
      ok: true,
      data: null,
    });
    const told = nextEvent(alex, 'conversation:left');
    data(await sam.emitWithAck('conversation:join-by-code', { code: joinCode, takeOver: true }));
    expect(await told).toMatchObject({ conversationId, reason: 'taken-over', helperName: 'Sam' });
    await copyClosed(scene);
    await visitorTold(scene);
    await alexActsInVain(alex, conversationId);
    await samFollows(scene);
    await alexHearsNothing(scene);
  });

  it('when it is transferred: the same as a takeover, with Alex’s say-so', async () => {
    scene = await alexInControl();
    const { alex, conversationId } = scene;
    const told = nextEvent(alex, 'conversation:left');
    data(await alex.emitWithAck('conversation:transfer', { conversationId, to: 'sam' }));
    expect(await told).toMatchObject({ reason: 'transferred', helperName: 'Sam' });
    await copyClosed(scene);
    await visitorTold(scene);
    await alexActsInVain(alex, conversationId);
    await samFollows(scene);
    await alexHearsNothing(scene);
  });

  it('when it goes back to the queue after the grace period', async () => {
    scene = await alexInControl(400);
    const { h, conversationId, alexCookie } = scene;
    // Alex's page drops; his copy of the visitor's page, a separate connection, stays.
    scene.alex.disconnect();
    await copyClosed(scene);
    await visitorTold(scene);
    // Back on the desk, Alex finds it gone to Sam and can do nothing with it.
    const alex = await h.agentWithCookie(alexCookie);
    await alexActsInVain(alex, conversationId);
    await samFollows(scene);
    await alexHearsNothing({ ...scene, alex });
  });

  it('when the conversation ends', async () => {
    scene = await alexInControl();
    const { visitor, alex, conversationId } = scene;
    data(await visitor.emitWithAck('conversation:end', { conversationId }));
    await copyClosed(scene);
    await visitorTold(scene);
    await alexActsInVain(alex, conversationId);
    const late = await visitor.emitWithAck('cobrowse:change', scrollTo(conversationId, 0.9));
    expect(late).toMatchObject({ ok: false, error: { code: 'ended' } });
  });

  it('when Alex signs out', async () => {
    scene = await alexInControl();
    const { h, alex, alexCookie, visitor, conversationId } = scene;
    const agentCutOff = cutOff(alex);
    const response = await fetch(`${h.url}/api/agent/session`, {
      method: 'DELETE',
      headers: { origin: h.origin, cookie: alexCookie },
    });
    expect(response.status).toBe(204);
    expect(await agentCutOff).toBe('io server disconnect');
    await copyClosed(scene);
    await visitorTold(scene);
    await expect(h.agentWithCookie(alexCookie)).rejects.toThrow(/unauthorized/);
    // Nothing of the page leaves Ann's browser now: no one follows it.
    const after = await visitor.emitWithAck('cobrowse:change', scrollTo(conversationId, 0.9));
    expect(after).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Signing in again, within the grace period, Alex still has the chat, not the page.
    const back = await h.agent('Alex', PASSWORD);
    await waitFor(back, 'conversation:updated', (c) => c.id === conversationId);
    const point = await back.emitWithAck('cobrowse:point', { conversationId, path: '#pay' });
    expect(point).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('when Alex’s account is removed with `npm run volunteer -- remove`', async () => {
    scene = await alexInControl();
    const { h, alex, alexCookie, conversationId } = scene;
    const agentCutOff = cutOff(alex);
    expect((await volunteer(h.dataDir, 'remove', 'Alex')).code).toBe(0);
    // Noticed without Alex doing anything: the desk's sweep finds the account gone.
    expect(await agentCutOff).toBe('io server disconnect');
    await copyClosed(scene);
    await visitorTold(scene);
    await expect(h.agentWithCookie(alexCookie)).rejects.toThrow(/unauthorized/);
    await samFollows(scene);
    expect((await h.store.getConversation(conversationId))?.helperName).toBe('Sam');
  });
});

describe('a signed-in helper’s socket carries no secret', () => {
  it('sends no password hash in any frame', async () => {
    const h = await startHarness();
    try {
      await h.addHelper('Alex', PASSWORD);
      const alex = await h.agent('Alex', PASSWORD);
      const frames: string[] = [];
      alex.io.engine.on('packet', (packet: { data?: unknown }) => {
        frames.push(String(packet.data ?? ''));
      });
      data(await alex.emitWithAck('helper:availability', { availability: 'available' }));
      const { json } = await h.requestHelp();
      await waitFor(alex, 'conversation:updated', (c) => c.id === json.conversationId);
      const sockets = await h.server.io.of('/agent').fetchSockets();
      frames.push(JSON.stringify(sockets.map((s) => s.data)));
      expect(frames.length).toBeGreaterThan(2);
      const all = frames.join('\n');
      expect(all).toContain('Alex');
      expect(all).not.toMatch(/scrypt\$|passwordHash/);
    } finally {
      await h.stop();
    }
  });
});
