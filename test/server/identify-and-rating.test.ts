/**
 * What the site tells about its visitor after the chat started (rule 8), the visitor's rating
 * of an ended chat (rule 10), and what the widget asks before anyone is there (desk status).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../protocol/domain.ts';
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
const FOREIGN = 'https://evil.example';

describe('the site tells more about its visitor', () => {
  let h: Harness;
  let alex: AgentClient;
  let visitor: VisitorClient;
  let conversationId: string;

  beforeEach(async () => {
    h = await startHarness();
    await h.addHelper('Alex', PASSWORD);
    alex = await h.agent('Alex', PASSWORD);
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    const { json } = await h.requestHelp(
      helpRequestBody({
        visitor: { custom: { orderId: 'A-1001' } },
        message: { id: newId(), text: 'Hello' },
      }),
    );
    conversationId = json.conversationId;
    visitor = await h.visitor(json.visitorToken);
    await waitFor(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.status === 'assigned',
    );
  });
  afterEach(() => h.stop());

  it('shows the helper who the visitor is at once, and signs their next messages with the name', async () => {
    const told = nextEvent(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.visitor.name === 'Ann Lee',
    );
    const ack = await visitor.emitWithAck('visitor:identify', {
      conversationId,
      visitor: { name: 'Ann Lee', email: 'ann@localhost', custom: { plan: 'pro' } },
    });
    expect(ack).toEqual({ ok: true, data: null });
    expect((await told).visitor).toEqual({
      name: 'Ann Lee',
      email: 'ann@localhost',
      // What the site said when the chat started is kept alongside.
      custom: { orderId: 'A-1001', plan: 'pro' },
    });

    const received = nextEvent(alex, 'chat:message', (m) => m.text === 'It is order A-1001');
    const sent = await visitor.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'It is order A-1001',
    });
    expect(sent).toMatchObject({ ok: true, data: { authorName: 'Ann Lee' } });
    expect((await received).authorName).toBe('Ann Lee');
  });

  it.each([
    ['a "__proto__" custom field', JSON.parse('{"custom":{"__proto__":{"isAdmin":"yes"}}}')],
    ['a custom field name that is not an identifier', { custom: { 'plan type': 'pro' } }],
    ['a 5000-character name', { name: 'A'.repeat(5000) }],
    ['an address that is not one', { email: 'ann at home' }],
  ])('refuses %s and changes nothing', async (_label, hostile) => {
    const before = await h.store.getConversation(conversationId);
    const ack = await visitor.emitWithAck('visitor:identify', {
      conversationId,
      visitor: hostile,
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await h.store.getConversation(conversationId)).toEqual(before);
    expect(before?.visitor).toEqual({ custom: { orderId: 'A-1001' } });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses to tell about the visitor of another conversation', async () => {
    const other = await h.requestHelp(helpRequestBody({ message: { id: newId(), text: 'Hi' } }));
    const ack = await visitor.emitWithAck('visitor:identify', {
      conversationId: other.json.conversationId,
      visitor: { name: 'Mallory' },
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await h.store.getConversation(other.json.conversationId))?.visitor).toEqual({});
  });
});

describe('rating an ended chat', () => {
  let h: Harness;
  let alex: AgentClient;
  let alexCookie: string;

  beforeEach(async () => {
    h = await startHarness({ helpRequestRate: { burst: 100, perSecond: 100 } });
    await h.addHelper('Alex', PASSWORD);
    alexCookie = await h.signIn('Alex', PASSWORD);
    alex = await h.agentWithCookie(alexCookie);
    await alex.emitWithAck('helper:availability', { availability: 'available', capacity: 5 });
  });
  afterEach(() => h.stop());

  async function chat() {
    const { json } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'My parcel is late' } }),
    );
    const visitor = await h.visitor(json.visitorToken);
    return { conversationId: json.conversationId, token: json.visitorToken, visitor };
  }

  const rate = (
    token: string | undefined,
    body: unknown,
    origin = h.origin,
  ): Promise<{ status: number; json: { ok: boolean; data?: unknown; error?: unknown } }> =>
    fetch(`${h.url}/api/ratings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: await r.json() }));

  async function history(): Promise<HistoryEntry[]> {
    const response = await fetch(`${h.url}/api/agent/history`, {
      headers: { cookie: alexCookie },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { conversations: HistoryEntry[] }).conversations;
  }

  it('is refused while the chat is open, and once the visitor ends it the helper sees the rating', async () => {
    const { conversationId, token, visitor } = await chat();
    const early = await rate(token, { value: 'up' });
    expect(early).toMatchObject({ status: 409, json: { ok: false, error: { code: 'conflict' } } });

    const ended = await visitor.emitWithAck('conversation:end', { conversationId });
    expect(ended).toMatchObject({ ok: true, data: { status: 'ended', endedBy: 'visitor' } });

    const rated = await rate(token, { value: 'up', comment: '  Quick and kind  ' });
    expect(rated).toEqual({
      status: 200,
      json: { ok: true, data: { value: 'up', comment: 'Quick and kind', at: expect.any(String) } },
    });

    const [entry] = await history();
    expect(entry).toMatchObject({
      id: conversationId,
      endedBy: 'visitor',
      rating: { value: 'up', comment: 'Quick and kind' },
    });
  });

  it('may be given when the helper ended the chat', async () => {
    const { conversationId, token } = await chat();
    const ended = await alex.emitWithAck('conversation:end', { conversationId });
    expect(ended).toMatchObject({ ok: true, data: { status: 'ended', endedBy: 'helper' } });

    const rated = await rate(token, { value: 'down' });
    expect(rated).toMatchObject({ status: 200, json: { ok: true, data: { value: 'down' } } });
    expect(rated.json.data).not.toHaveProperty('comment');

    const [entry] = await history();
    expect(entry).toMatchObject({
      id: conversationId,
      endedBy: 'helper',
      rating: { value: 'down' },
    });
  });

  it('needs the visitor’s own token, a well-formed body and an allowed origin', async () => {
    const { conversationId, token, visitor } = await chat();
    await visitor.emitWithAck('conversation:end', { conversationId });

    for (const bearer of [undefined, 'not a token', newId() + newId()]) {
      const refused = await rate(bearer, { value: 'up' });
      expect(refused).toMatchObject({
        status: 401,
        json: { ok: false, error: { code: 'unauthorized' } },
      });
    }
    for (const body of [{ value: 'meh' }, { value: 'up', comment: 'x'.repeat(1001) }, {}]) {
      const refused = await rate(token, body);
      expect(refused).toMatchObject({
        status: 400,
        json: { ok: false, error: { code: 'invalid_payload' } },
      });
    }
    const foreign = await rate(token, { value: 'up' }, FOREIGN);
    expect(foreign).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });

    // None of them counted.
    expect((await h.store.getConversation(conversationId))?.rating).toBeUndefined();
  });

  it('answers the browser’s preflight with the bearer header allowed, for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${h.url}/api/ratings`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const allowed = await preflight(h.origin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(h.origin);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const refused = await preflight(FOREIGN);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('desk status before anyone asks', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  const status = (origin = h.origin) =>
    fetch(`${h.url}/api/desk-status`, { headers: { origin } }).then(async (r) => ({
      status: r.status,
      allowOrigin: r.headers.get('access-control-allow-origin'),
      json: await r.json(),
    }));

  it('says whether a helper is available, and how long answers usually take once someone answered', async () => {
    expect(await status()).toEqual({
      status: 200,
      allowOrigin: h.origin,
      json: { helpersAvailable: false },
    });

    await h.addHelper('Alex', PASSWORD);
    const alex = await h.agent('Alex', PASSWORD);
    // Signed in is not enough: only a helper who is available counts.
    expect((await status()).json).toEqual({ helpersAvailable: false });
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    expect((await status()).json).toEqual({ helpersAvailable: true });

    const { json } = await h.requestHelp(
      helpRequestBody({ message: { id: newId(), text: 'Hello?' } }),
    );
    const answered = await alex.emitWithAck('chat:send', {
      conversationId: json.conversationId,
      id: newId(),
      text: 'Hi, how can I help?',
    });
    expect(answered.ok).toBe(true);
    const after = (await status()).json;
    expect(after).toMatchObject({ helpersAvailable: true });
    expect(Number.isInteger(after.usualWaitMinutes)).toBe(true);
    expect(after.usualWaitMinutes).toBeGreaterThanOrEqual(1);

    await alex.emitWithAck('helper:availability', { availability: 'away' });
    expect((await status()).json).toMatchObject({ helpersAvailable: false });
  });

  it('is refused to a site that may not embed the widget', async () => {
    const refused = await status(FOREIGN);
    expect(refused).toMatchObject({
      status: 403,
      allowOrigin: null,
      json: { ok: false, error: { code: 'forbidden' } },
    });
  });
});
