/**
 * Internal notes and transfer with a note: helpers read them in the transcript, the visitor
 * never receives one — not live, not in history, not after a reconnect, not from a transfer.
 * A canary note is looked for in everything the visitor's sockets were sent. Real server,
 * real sockets, real files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/ack.ts';
import {
  type AgentClient,
  type Harness,
  newId,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';
const CANARY = 'CANARY-internal-7f3a';
const HANDOVER = 'CANARY-handover-91bd: wants a refund for order 1042';

function data<T>(answer: Ack<T>): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

interface Scene {
  h: Harness;
  alex: AgentClient;
  sam: AgentClient;
  visitor: VisitorClient;
  conversationId: string;
  visitorToken: string;
  /** Everything every visitor socket of this scene was sent, as text. */
  visitorSaw: string[];
}

async function alexHelpsAnn(): Promise<Scene> {
  const h = await startHarness();
  await h.addHelper('Alex', PASSWORD);
  await h.addHelper('Sam', PASSWORD);
  const alex = await h.agent('Alex', PASSWORD);
  data(await alex.emitWithAck('helper:availability', { availability: 'available' }));
  const { json } = await h.requestHelp();
  const visitorSaw: string[] = [];
  const visitor = await h.visitor(json.visitorToken);
  visitor.onAny((event: string, payload: unknown) =>
    visitorSaw.push(`${event} ${JSON.stringify(payload)}`),
  );
  await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
  const sam = await h.agent('Sam', PASSWORD);
  data(await sam.emitWithAck('helper:availability', { availability: 'available' }));
  return {
    h,
    alex,
    sam,
    visitor,
    conversationId: json.conversationId,
    visitorToken: json.visitorToken,
    visitorSaw,
  };
}

describe('internal notes', () => {
  let scene: Scene | undefined;
  afterEach(async () => {
    await scene?.h.stop();
    scene = undefined;
  });

  it('reach the helpers and their history, and never the visitor', async () => {
    scene = await alexHelpsAnn();
    const { h, alex, visitor, conversationId, visitorSaw } = scene;
    const stored = data(
      await alex.emitWithAck('chat:send', {
        conversationId,
        id: newId(),
        text: CANARY,
        internal: true,
      }),
    );
    expect(stored).toMatchObject({ text: CANARY, internal: true, from: 'helper' });
    await waitFor(alex, 'chat:message', (m) => m.text === CANARY);
    // A reply sent after the note reaches the visitor: had the note gone too, it came first.
    data(await alex.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Hi Ann' }));
    await waitFor(visitor, 'chat:message', (m) => m.text === 'Hi Ann');

    const helperHistory = data(await alex.emitWithAck('chat:history', { conversationId }));
    expect(helperHistory.messages.map((m) => [m.text, m.internal ?? false])).toEqual([
      [CANARY, true],
      ['Hi Ann', false],
    ]);
    const visitorHistory = data(await visitor.emitWithAck('chat:history', { conversationId }));
    expect(visitorHistory.messages.map((m) => m.text)).toEqual(['Hi Ann']);

    // A visitor who comes back (a reload) is given the conversation again: still no note.
    const again = await h.visitor(scene.visitorToken);
    again.onAny((event: string, payload: unknown) =>
      visitorSaw.push(`${event} ${JSON.stringify(payload)}`),
    );
    data(await again.emitWithAck('chat:history', { conversationId }));

    // Ended: the helper's history and transcript keep the note, marked as one.
    data(await alex.emitWithAck('conversation:end', { conversationId }));
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'ended');
    const cookie = await h.signIn('Alex', PASSWORD);
    const history = await fetch(`${h.url}/api/agent/history`, { headers: { cookie } });
    expect(JSON.stringify(await history.json())).toContain(CANARY);
    const transcript = await fetch(`${h.url}/api/agent/history/${conversationId}/transcript`, {
      headers: { cookie },
    });
    expect(await transcript.text()).toMatch(/\] Alex \(internal note\): CANARY-internal-7f3a/);

    expect(visitorSaw.length).toBeGreaterThan(3);
    expect(visitorSaw.filter((frame) => frame.includes('CANARY'))).toEqual([]);
  });

  it('are refused from a visitor, and nothing is stored', async () => {
    scene = await alexHelpsAnn();
    const { alex, visitor, conversationId } = scene;
    const id = newId();
    const answer = await visitor.emitWithAck('chat:send', {
      conversationId,
      id,
      text: 'pretend note',
      internal: true,
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const messages = data(await alex.emitWithAck('chat:history', { conversationId })).messages;
    expect(messages.map((m) => m.text)).not.toContain('pretend note');
  });
});

describe('transfer with a note', () => {
  let scene: Scene | undefined;
  afterEach(async () => {
    await scene?.h.stop();
    scene = undefined;
  });

  it('gives the new helper the note and the history; the old one loses access at once', async () => {
    scene = await alexHelpsAnn();
    const { alex, sam, visitor, conversationId, visitorSaw } = scene;
    data(await alex.emitWithAck('chat:send', { conversationId, id: newId(), text: 'One moment' }));
    const left = waitFor(alex, 'conversation:left');
    data(
      await alex.emitWithAck('conversation:transfer', {
        conversationId,
        to: 'Sam',
        note: HANDOVER,
      }),
    );
    expect(await left).toMatchObject({ conversationId, reason: 'transferred', helperName: 'Sam' });
    await waitFor(visitor, 'conversation:updated', (c) => c.helperName === 'Sam');

    const samSees = data(await sam.emitWithAck('chat:history', { conversationId })).messages;
    expect(samSees.map((m) => [m.authorName, m.text, m.internal ?? false])).toEqual([
      ['Alex', 'One moment', false],
      ['Alex', HANDOVER, true],
    ]);
    // Alex reads and writes nothing more here.
    const read = await alex.emitWithAck('chat:history', { conversationId });
    expect(read).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const write = await alex.emitWithAck('chat:send', { conversationId, id: newId(), text: 'x' });
    expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    data(await sam.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Sam here' }));
    await waitFor(visitor, 'chat:message', (m) => m.text === 'Sam here');
    const visitorSees = data(await visitor.emitWithAck('chat:history', { conversationId }));
    expect(visitorSees.messages.map((m) => m.text)).not.toContain(HANDOVER);
    expect(visitorSaw.filter((frame) => frame.includes('CANARY'))).toEqual([]);
  });

  it('a blank note is no note; a transfer that fails stores no note', async () => {
    scene = await alexHelpsAnn();
    const { h, alex, conversationId } = scene;
    await h.addHelper('Kim', PASSWORD);
    // Kim is not signed in: not available, so nothing happens, the note included.
    const refused = await alex.emitWithAck('conversation:transfer', {
      conversationId,
      to: 'Kim',
      note: 'CANARY-refused',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    data(
      await alex.emitWithAck('conversation:transfer', { conversationId, to: 'Sam', note: '   ' }),
    );
    const messages = data(await scene.sam.emitWithAck('chat:history', { conversationId }));
    expect(messages.messages).toEqual([]);
  });
});
