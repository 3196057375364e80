/**
 * Every visitor event has a limit, counted per conversation and per client address in the
 * live state's buckets: not per socket, so more sockets or a reconnect buy nothing. Each flood
 * below is shown by what got through, and by another visitor who is not held up by it.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv, defaultConfig, parseRate } from '../../server/config.ts';
import {
  type Harness,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const SLOW = 0.0001;
let sent = 0;
const send = (visitor: VisitorClient, conversationId: string) =>
  visitor.emitWithAck('chat:send', {
    conversationId,
    id: `message-${++sent}-${Date.now()}`,
    text: 'hello',
  });
const codes = (answers: { ok: boolean; error?: { code: string } }[]) => {
  const tally: Record<string, number> = {};
  for (const a of answers) {
    const key = a.ok ? 'ok' : (a.error?.code ?? '?');
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
};

describe('visitor limits, per conversation and per address', () => {
  it('one visitor with 10 sockets sends what one socket may (20 of 100), and reconnecting refills nothing', async () => {
    h = await startHarness({ chatRate: { burst: 20, perSecond: SLOW } });
    const { json } = await h.requestHelp();
    const sockets = await Promise.all(
      Array.from({ length: 10 }, () => h?.visitor(json.visitorToken) as Promise<VisitorClient>),
    );
    const answers = await Promise.all(
      sockets.flatMap((socket) =>
        Array.from({ length: 10 }, () => send(socket, json.conversationId)),
      ),
    );
    expect(codes(answers)).toEqual({ ok: 20, rate_limited: 80 });
    for (const socket of sockets) socket.disconnect();
    const again = await h.visitor(json.visitorToken);
    expect(codes([await send(again, json.conversationId)])).toEqual({ rate_limited: 1 });
    expect(await h.store.listMessages(json.conversationId)).toHaveLength(20);
  });

  it('5,000 page reports: at most the burst and the rate get through; another visitor chats on', async () => {
    h = await startHarness();
    const flood = await h.requestHelp();
    const calm = await h.requestHelp();
    const flooder = await h.visitor(flood.json.visitorToken);
    const other = await h.visitor(calm.json.visitorToken);
    const started = Date.now();
    const reports = Array.from({ length: 5000 }, (_, i) =>
      flooder.emitWithAck('conversation:page', {
        conversationId: flood.json.conversationId,
        url: `https://shop.example/p/${i}`,
        title: `Page ${i}`,
      }),
    );
    const meanwhile = [];
    for (let i = 0; i < 5; i++) meanwhile.push(await send(other, calm.json.conversationId));
    const answers = await Promise.all(reports);
    const seconds = (Date.now() - started) / 1000;
    const tally = codes(answers);
    // Burst 10, then 1 a second.
    const ok = tally.ok ?? 0;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(10 + Math.ceil(seconds));
    expect(ok + (tally.rate_limited ?? 0)).toBe(5000);
    expect(codes(meanwhile)).toEqual({ ok: 5 });
  });

  it('typing and read floods are cut off the same way', async () => {
    h = await startHarness({
      visitorEventRates: {
        ...defaultConfig().visitorEventRates,
        'chat:typing': { burst: 5, perSecond: SLOW },
        'chat:read': { burst: 3, perSecond: SLOW },
      },
    });
    const { json } = await h.requestHelp();
    const visitor = await h.visitor(json.visitorToken);
    const typing = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        visitor.emitWithAck('chat:typing', {
          conversationId: json.conversationId,
          typing: i % 2 === 0,
        }),
      ),
    );
    expect(codes(typing)).toEqual({ ok: 5, rate_limited: 195 });
    const first = await send(visitor, json.conversationId);
    const upTo = first.ok ? first.data.id : '';
    const reads = await Promise.all(
      Array.from({ length: 50 }, () =>
        visitor.emitWithAck('chat:read', { conversationId: json.conversationId, upTo }),
      ),
    );
    expect(codes(reads)).toEqual({ ok: 3, rate_limited: 47 });
  });

  it('conversations from one address share its allowance; another address has its own', async () => {
    h = await startHarness({
      chatRate: { burst: 3, perSecond: SLOW },
      perIpFactor: 2,
      trustProxy: ['loopback'],
    });
    const office = { 'x-forwarded-for': '203.0.113.9' };
    const fromOffice = await Promise.all([h.requestHelp(), h.requestHelp(), h.requestHelp()]);
    const sockets = await Promise.all(
      fromOffice.map(({ json }) => h?.visitor(json.visitorToken, office) as Promise<VisitorClient>),
    );
    const answers = [];
    for (const [i, socket] of sockets.entries()) {
      for (let n = 0; n < 3; n++) {
        answers.push(await send(socket, fromOffice[i]?.json.conversationId ?? ''));
      }
    }
    // Three each would be nine; the address allows twice one conversation's three.
    expect(codes(answers)).toEqual({ ok: 6, rate_limited: 3 });
    const elsewhere = await h.requestHelp();
    const home = await h.visitor(elsewhere.json.visitorToken, {
      'x-forwarded-for': '198.51.100.4',
    });
    expect(codes([await send(home, elsewhere.json.conversationId)])).toEqual({ ok: 1 });
  });

  it('a refused event says so in words, and nothing of it is stored or relayed', async () => {
    h = await startHarness({ chatRate: { burst: 1, perSecond: SLOW } });
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    const { json } = await h.requestHelp();
    const visitor = await h.visitor(json.visitorToken);
    const accepted = await alex.emitWithAck('conversation:accept', {
      conversationId: json.conversationId,
    });
    expect(accepted.ok).toBe(true);
    expect((await send(visitor, json.conversationId)).ok).toBe(true);
    const refused = await send(visitor, json.conversationId);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^too many chat:send at once; wait \d+ s$/),
      },
    });
    // The helper got the first message only: a marker from the helper's side arrives next.
    const marker = await alex.emitWithAck('chat:send', {
      conversationId: json.conversationId,
      id: 'helper-marker-1',
      text: 'marker',
    });
    expect(marker.ok).toBe(true);
    await waitFor(visitor, 'chat:message', (m) => m.text === 'marker');
    expect(await h.store.listMessages(json.conversationId)).toHaveLength(2);
  });
});

describe('limits an operator sets', () => {
  it('reads rates like 5/s, 10/min or 20/h, with an optional burst', () => {
    expect(parseRate('X', '5/s')).toEqual({ burst: 5, perSecond: 5 });
    expect(parseRate('X', '5/s,20')).toEqual({ burst: 20, perSecond: 5 });
    expect(parseRate('X', '30/min')).toEqual({ burst: 30, perSecond: 0.5 });
    expect(parseRate('X', '36/h, 4')).toEqual({ burst: 4, perSecond: 0.01 });
    for (const bad of ['', '5', 'fast', '0/s', '5/day', '-1/s', '5/s,0', '5/s,']) {
      expect(() => parseRate('HELP_LIMIT_CHAT', bad), bad).toThrow(
        /^HELP_LIMIT_CHAT must be a rate/,
      );
    }
  });

  it("the README's table of limits states the defaults the server runs with", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `(HELP_LIMIT_\w+)` \| `([^`]+)` \|/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(14);
    const fromReadme = configFromEnv(
      Object.fromEntries(rows.map(([, name, value]) => [name, value])),
    );
    const defaults = configFromEnv({});
    const close = (config: typeof defaults.config) =>
      JSON.parse(
        JSON.stringify(config, (_k, v) => (typeof v === 'number' ? +v.toPrecision(9) : v)),
      );
    expect(close(fromReadme.config)).toEqual(close(defaults.config));
  });

  it('every HELP_LIMIT_* variable reaches its limit; the rest keep their defaults', () => {
    const { config } = configFromEnv({
      HELP_LIMIT_CHAT: '2/s,4',
      HELP_LIMIT_PAGE: '1/min',
      HELP_LIMIT_PAGE_CHANGE: '30/s,60',
      HELP_LIMIT_SIGN_IN: '5/h',
      HELP_LIMIT_WRONG_JOIN_CODE: '10/min',
      HELP_LIMIT_PER_IP_FACTOR: '3',
    });
    expect(config.chatRate).toEqual({ burst: 4, perSecond: 2 });
    expect(config.visitorEventRates['conversation:page']).toEqual({ burst: 1, perSecond: 1 / 60 });
    expect(config.visitorEventRates['cobrowse:change']).toEqual({ burst: 60, perSecond: 30 });
    expect(config.visitorEventRates['chat:typing']).toEqual({ burst: 20, perSecond: 2 });
    expect(config.signIn.perIp).toEqual({ burst: 5, perSecond: 5 / 3600 });
    expect(config.wrongJoinCodeRate).toEqual({ burst: 10, perSecond: 1 / 6 });
    expect(config.perIpFactor).toBe(3);
    expect(() => configFromEnv({ HELP_LIMIT_PER_IP_FACTOR: '0' })).toThrow(/PER_IP_FACTOR/);
  });
});
