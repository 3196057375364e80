import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, newId, nextEvent, startHarness } from '../support/server-harness.ts';

describe('visitor and helper chat', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('carries messages both ways with typing and read state', async () => {
    await h.addHelper('Alex');
    const agent = await h.agent('Alex', 'correct horse battery');
    const status = await agent.emitWithAck('helper:availability', {
      availability: 'available',
      capacity: 2,
    });
    expect(status).toMatchObject({ ok: true, data: { availability: 'available', capacity: 2 } });

    const assigned = nextEvent(agent, 'conversation:updated', (c) => c.status === 'assigned');
    const { json } = await h.requestHelp();
    const conversationId = json.conversationId;
    expect((await assigned).id).toBe(conversationId);

    const visitor = await h.visitor(json.visitorToken);
    const helperSees = nextEvent(agent, 'chat:message');
    const typing = nextEvent(agent, 'chat:typing');
    await visitor.emitWithAck('chat:typing', { conversationId, typing: true });
    expect(await typing).toMatchObject({ from: 'visitor', typing: true });

    const sent = await visitor.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'My order is stuck',
    });
    expect(sent).toMatchObject({
      ok: true,
      data: { text: 'My order is stuck', from: 'visitor', seq: 1 },
    });
    expect(await helperSees).toMatchObject({ text: 'My order is stuck', conversationId });

    const visitorTyping = nextEvent(visitor, 'chat:typing');
    await agent.emitWithAck('chat:typing', { conversationId, typing: true });
    expect(await visitorTyping).toMatchObject({ from: 'helper' });

    const visitorSees = nextEvent(visitor, 'chat:message', (m) => m.from === 'helper');
    const reply = await agent.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'Let me look',
    });
    expect(reply.ok).toBe(true);
    expect(await visitorSees).toMatchObject({ text: 'Let me look', authorName: 'Alex', seq: 2 });

    // Read state travels to the other side and is kept.
    const readSeen = nextEvent(visitor, 'chat:read');
    const upTo = sent.ok ? sent.data.id : '';
    expect(await agent.emitWithAck('chat:read', { conversationId, upTo })).toEqual({
      ok: true,
      data: null,
    });
    expect(await readSeen).toMatchObject({ by: 'helper', upTo });
    expect(await h.store.getReadMarks(conversationId)).toEqual({ helper: upTo });

    const history = await visitor.emitWithAck('chat:history', { conversationId });
    expect(history.ok && history.data.messages.map((m) => m.text)).toEqual([
      'My order is stuck',
      'Let me look',
    ]);
  });
});

describe('the page the visitor is on now', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  it('reaches their helper, and only http(s) pages of their own conversation are accepted', async () => {
    await h.addHelper('Alex');
    const agent = await h.agent('Alex', 'correct horse battery');
    await agent.emitWithAck('helper:availability', { availability: 'available' });
    const { json } = await h.requestHelp();
    const conversationId = json.conversationId;
    const visitor = await h.visitor(json.visitorToken);
    const seen = nextEvent(agent, 'conversation:updated', (c) => c.currentPage !== undefined);
    const page = { conversationId, url: 'https://shop.example/orders/42', title: 'Order 42' };
    expect(await visitor.emitWithAck('conversation:page', page)).toEqual({ ok: true, data: null });
    expect((await seen).currentPage).toMatchObject({ url: page.url, title: 'Order 42' });
    const bad = await visitor.emitWithAck('conversation:page', {
      ...page,
      url: 'javascript:alert(1)',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const other = await visitor.emitWithAck('conversation:page', {
      ...page,
      conversationId: newId(),
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
