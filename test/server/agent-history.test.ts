import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../protocol/domain.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  newId,
  startHarness,
} from '../support/server-harness.ts';

/** `2026-11-22T20:01:05.123Z` → `2026-11-22 20:01:05`, worked out here independently. */
const stamp = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('helpers’ conversation history', () => {
  let h: Harness;
  let alexCookie: string;
  let samCookie: string;
  /** Alex's, ended first: a named visitor on the checkout page. */
  let checkout: string;
  /** Alex's, ended second: on the billing page. */
  let billing: string;
  /** Alex's, still open. */
  let open: string;
  /** Sam's, ended. */
  let samsOwn: string;

  async function startChat(agent: AgentClient, body = helpRequestBody()) {
    const { json } = await h.requestHelp(body);
    const conversationId = json.conversationId;
    expect((await h.store.getConversation(conversationId))?.status).toBe('assigned');
    const visitor = await h.visitor(json.visitorToken);
    return {
      conversationId,
      visitorSays: async (text: string) => {
        const ack = await visitor.emitWithAck('chat:send', { conversationId, id: newId(), text });
        expect(ack.ok).toBe(true);
      },
      helperSays: async (text: string) => {
        const ack = await agent.emitWithAck('chat:send', { conversationId, id: newId(), text });
        expect(ack.ok).toBe(true);
      },
      end: async () => {
        const ack = await agent.emitWithAck('conversation:end', { conversationId });
        expect(ack).toMatchObject({ ok: true, data: { status: 'ended' } });
        // Distinct end times, so "newest first" has one right answer.
        await pause(5);
      },
    };
  }

  beforeAll(async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    await h.addHelper('Sam', 'sam-password');
    alexCookie = await h.signIn('Alex', 'alex-password');
    samCookie = await h.signIn('Sam', 'sam-password');
    const alex = await h.agentWithCookie(alexCookie);
    const sam = await h.agentWithCookie(samCookie);
    expect(
      await alex.emitWithAck('helper:availability', { availability: 'available', capacity: 5 }),
    ).toMatchObject({ ok: true });

    const first = await startChat(
      alex,
      helpRequestBody({ visitor: { name: 'Jane Doe', email: 'jane@example.com' } }),
    );
    checkout = first.conversationId;
    await first.visitorSays('Hello, my ORDER is stuck\nsince Tuesday');
    await first.helperSays('Let me look into the warehouse');
    await first.visitorSays('<script>alert(1)</script>');

    const second = await startChat(
      alex,
      helpRequestBody({ pageUrl: 'https://shop.example/billing', pageTitle: 'Billing — Shop' }),
    );
    billing = second.conversationId;
    await second.visitorSays('Where is my invoice?');
    await second.helperSays('I have sent it again');

    const third = await startChat(alex);
    open = third.conversationId;
    await third.visitorSays('Another order question, warehouse too');

    await first.end();
    await second.end();

    // Alex steps away, so the next request goes to Sam.
    expect(await alex.emitWithAck('helper:availability', { availability: 'away' })).toMatchObject({
      ok: true,
    });
    expect(
      await sam.emitWithAck('helper:availability', { availability: 'available' }),
    ).toMatchObject({ ok: true });
    const fourth = await startChat(sam);
    samsOwn = fourth.conversationId;
    expect((await h.store.getConversation(samsOwn))?.helperName).toBe('Sam');
    await fourth.visitorSays('My order from the warehouse is late');
    await fourth.helperSays('Checking');
    await fourth.end();
  });
  afterAll(async () => {
    await h.stop();
    // The restart case starts a second server on the first one's data directory.
    await rm(h.dataDir, { recursive: true, force: true });
  });

  // `null`: no cookie at all.
  const history = async (query = '', cookie: string | null = alexCookie) => {
    const response = await fetch(`${h.url}/api/agent/history${query}`, {
      headers: cookie ? { cookie } : {},
    });
    return { status: response.status, json: await response.json() };
  };
  const ids = (json: { conversations: HistoryEntry[] }) => json.conversations.map((c) => c.id);
  const transcript = (id: string, cookie: string | null = alexCookie) =>
    fetch(`${h.url}/api/agent/history/${id}/transcript`, { headers: cookie ? { cookie } : {} });

  it("lists only the helper's own ended conversations, newest first, with their messages", async () => {
    const { status, json } = await history();
    expect(status).toBe(200);
    expect(ids(json)).toEqual([billing, checkout]);
    const [second, first] = json.conversations as HistoryEntry[];
    expect(first).toMatchObject({
      id: checkout,
      helperName: 'Alex',
      visitor: { name: 'Jane Doe', email: 'jane@example.com' },
      details: {
        pageUrl: 'https://shop.example/checkout?step=2',
        pageTitle: 'Checkout — Shop',
        agent: { browser: { name: 'Chrome' }, os: { name: 'Windows' } },
      },
      messageCount: 3,
      firstMessage: 'Hello, my ORDER is stuck\nsince Tuesday',
    });
    expect(first?.joinCode).toMatch(/^\d{9}$/);
    expect(first?.endedAt && first.endedAt >= first.createdAt).toBe(true);
    expect(Object.keys(first?.details ?? {}).sort()).toEqual(['agent', 'pageTitle', 'pageUrl']);
    expect(first?.messages.map((m) => [m.from, m.authorName, m.text])).toEqual([
      ['visitor', 'Jane Doe', 'Hello, my ORDER is stuck\nsince Tuesday'],
      ['helper', 'Alex', 'Let me look into the warehouse'],
      ['visitor', 'Jane Doe', '<script>alert(1)</script>'],
    ]);
    expect(second?.messages.map((m) => m.text)).toEqual([
      'Where is my invoice?',
      'I have sent it again',
    ]);
    expect(second && second.endedAt > (first?.endedAt ?? '')).toBe(true);
    // The visitor's token hash never leaves the server.
    expect(JSON.stringify(json)).not.toContain('visitorTokenHash');

    // Sam sees only Sam's.
    const sams = await history('', samCookie);
    expect(ids(sams.json)).toEqual([samsOwn]);
  });

  it('filters by text in any message, visitor, page title or URL, case-insensitively', async () => {
    // In the visitor's words (not in the open conversation, nor in Sam's).
    expect(ids((await history('?q=order')).json)).toEqual([checkout]);
    // Only in the helper's reply.
    expect(ids((await history('?q=WAREHOUSE')).json)).toEqual([checkout]);
    expect(ids((await history('?q=invoice')).json)).toEqual([billing]);
    // Page title, visitor name and email, page URL.
    expect(ids((await history('?q=billing%20%E2%80%94%20SHOP')).json)).toEqual([billing]);
    expect(ids((await history('?q=checkout')).json)).toEqual([checkout]);
    expect(ids((await history('?q=jane%20doe')).json)).toEqual([checkout]);
    expect(ids((await history('?q=JANE%40EXAMPLE')).json)).toEqual([checkout]);
    expect(ids((await history('?q=shop.example%2Fbilling')).json)).toEqual([billing]);
    // Nothing, and a blank q is no filter.
    expect(ids((await history('?q=refund')).json)).toEqual([]);
    expect(ids((await history('?q=%20%20')).json)).toEqual([billing, checkout]);
    // limit counts after filtering.
    expect(ids((await history('?limit=1')).json)).toEqual([billing]);
    expect(ids((await history('?q=shop&limit=1')).json)).toEqual([billing]);
    expect(ids((await history('?q=shop&limit=200')).json)).toEqual([billing, checkout]);
  });

  it('searches by words: the start of any word, every word required, from an index', async () => {
    // A word only in a message (the second line of the visitor's first), and the start of one.
    expect(ids((await history('?q=tuesday')).json)).toEqual([checkout]);
    expect(ids((await history('?q=invoi')).json)).toEqual([billing]);
    expect(ids((await history('?q=wareh')).json)).toEqual([checkout]);
    // Two words, each somewhere in the conversation (the open one and Sam's have both too).
    expect(ids((await history('?q=order%20warehouse')).json)).toEqual([checkout]);
    expect(ids((await history('?q=warehouse%20order')).json)).toEqual([checkout]);
    expect(ids((await history('?q=order%20invoice')).json)).toEqual([]);
    // The visitor's email, whole or as typed so far.
    expect(ids((await history('?q=jane%40')).json)).toEqual([checkout]);
    expect(ids((await history('?q=jane%40example.com')).json)).toEqual([checkout]);
    // No match; the middle of a word is not a match (search-text.ts says why).
    expect(ids((await history('?q=xylophone')).json)).toEqual([]);
    expect(ids((await history('?q=arehouse')).json)).toEqual([]);
    // Found conversations come whole, as listed ones do.
    const [found] = (await history('?q=invoice')).json.conversations as HistoryEntry[];
    expect(found?.messages.map((m) => m.text)).toEqual([
      'Where is my invoice?',
      'I have sent it again',
    ]);
  });

  it('pages search results with after, as it pages the list', async () => {
    expect(ids((await history('?q=shop&limit=1')).json)).toEqual([billing]);
    expect(ids((await history(`?q=shop&limit=1&after=${billing}`)).json)).toEqual([checkout]);
    expect(ids((await history(`?q=shop&limit=1&after=${checkout}`)).json)).toEqual([]);
    expect(ids((await history(`?q=jane&after=${billing}`)).json)).toEqual([checkout]);
  });

  it('pages: the next page starts after the last conversation of the one before', async () => {
    expect(ids((await history(`?limit=1&after=${billing}`)).json)).toEqual([checkout]);
    expect(ids((await history(`?limit=5&after=${checkout}`)).json)).toEqual([]);
    expect(ids((await history(`?q=shop&after=${billing}`)).json)).toEqual([checkout]);
    // Someone else's conversation as a cursor reveals nothing: it is as if it were not there.
    expect(ids((await history(`?after=${samsOwn}`)).json)).toEqual([billing, checkout]);
    expect((await history('?after=not%20an%20id')).status).toBe(400);
  });

  it('refuses a bad query with 400 naming the field', async () => {
    for (const query of ['?limit=0', '?limit=201', '?limit=abc', '?limit=', '?limit=1&limit=2']) {
      const { status, json } = await history(query);
      expect(status, query).toBe(400);
      expect(json, query).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(json.error.message, query).toMatch(/^limit: /);
    }
    const long = await history(`?q=${'x'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.json.error.message).toMatch(/^q: /);
    const unknown = await history('?page=2');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('page');
  });

  it('answers 401 without a valid session', async () => {
    for (const cookie of [null, 'help_agent_session=not-a-real-session']) {
      const { status, json } = await history('', cookie);
      expect(status).toBe(401);
      expect(json).toEqual({
        ok: false,
        error: { code: 'unauthorized', message: 'not signed in' },
      });
      const response = await transcript(checkout, cookie);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it("hides others' and open conversations (404) and refuses a malformed id (400)", async () => {
    for (const id of [samsOwn, open, newId()]) {
      const response = await transcript(id);
      expect(response.status, id).toBe(404);
      expect(await response.json()).toEqual({
        ok: false,
        error: { code: 'not_found', message: 'no such conversation in your history' },
      });
    }
    expect((await transcript(samsOwn, samCookie)).status).toBe(200);
    for (const id of ['short', 'bad!id!bad', 'x'.repeat(65), '..%2F..%2Fsecret']) {
      const response = await transcript(id);
      expect(response.status, id).toBe(400);
      expect(await response.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', message: expect.stringMatching(/^id: /) },
      });
    }
  });

  it('downloads a plain-text transcript with a header and one line per message', async () => {
    const response = await transcript(checkout);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="transcript-${checkout.slice(0, 8)}.txt"`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const record = await h.store.getConversation(checkout);
    const messages = await h.store.listMessages(checkout);
    const [hello, reply, script] = messages.map((m) => stamp(m.sentAt));
    const text = await response.text();
    expect(text.split('\n')).toEqual([
      `Conversation id: ${checkout}`,
      `Started: ${stamp(record?.createdAt ?? '')} UTC`,
      `Ended: ${stamp(record?.endedAt ?? '')} UTC, by Alex`,
      'Helper: Alex',
      'Visitor: Jane Doe <jane@example.com>',
      'Page title: Checkout — Shop',
      'Page URL: https://shop.example/checkout?step=2',
      'Browser: Chrome 131.0.0.0',
      'OS: Windows 10',
      '',
      `[${hello}] Jane Doe: Hello, my ORDER is stuck`,
      '  since Tuesday',
      `[${reply}] Alex: Let me look into the warehouse`,
      // Literally: this is text, not HTML.
      `[${script}] Jane Doe: <script>alert(1)</script>`,
      '',
    ]);
    expect(hello).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // A visitor who gave no name or email: no Visitor line in the header.
    const other = await (await transcript(billing)).text();
    expect(other).not.toMatch(/^Visitor: /m);
    expect(other).toContain('Page title: Billing — Shop\nPage URL: https://shop.example/billing\n');
  });

  // Last: it replaces the server. Archived first, so the index comes back from its file.
  it('still finds after the server restarts, archived conversations included', async () => {
    await h.store.archiveEnded(Date.now() + 24 * 3_600_000);
    expect(h.store.stats().hotConversations).toBe(1);
    expect(ids((await history('?q=warehouse')).json)).toEqual([checkout]);
    const dataDir = h.dataDir;
    await h.stop({ keepData: true });
    h = await startHarness({}, dataDir);
    expect(h.store.stats().searchable).toBe(3);
    expect(ids((await history('?q=warehouse')).json)).toEqual([checkout]);
    expect(ids((await history('?q=invoi')).json)).toEqual([billing]);
    expect(ids((await history('?q=jane%40example')).json)).toEqual([checkout]);
    expect(ids((await history('?q=shop')).json)).toEqual([billing, checkout]);
    expect(ids((await history('?q=warehouse', samCookie)).json)).toEqual([samsOwn]);
  });
});
