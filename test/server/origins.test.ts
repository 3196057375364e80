/**
 * The origin allowlist is exact: Socket.IO handshakes (websocket and polling alike) and the
 * REST preflight accept only listed origins and the server's own, never look-alikes.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/server-harness.ts';

const SHOP = 'https://shop.example';
const TRANSPORTS = ['websocket', 'polling'] as const;
type Transport = (typeof TRANSPORTS)[number];

/** Origins that must be refused although they look like the listed one, or like nothing. */
const FOREIGN = [
  'https://evil.example',
  'https://shop.example.evil.com',
  'https://evil-shop.example',
  'http://shop.example',
  'https://shop.example/',
  'https://shop.example:443',
  'https://SHOP.example',
  'null',
];

type Outcome = { connected: true } | { connected: false; message: string };

/** Tries one handshake on a fresh connection and reports how it ended. */
function handshake(
  url: string,
  transport: Transport,
  headers: Record<string, string>,
  auth: Record<string, string> = {},
): Promise<Outcome> {
  const socket = io(url, {
    transports: [transport],
    extraHeaders: headers,
    auth,
    reconnection: false,
    // Never share a manager (and its headers) with another client of the same server.
    forceNew: true,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve({ connected: true });
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve({ connected: false, message: error.message });
    });
  });
}

/** An engine.io polling handshake, by hand: the first request any polling client makes. */
const pollingHandshake = (url: string, headers: Record<string, string>) =>
  fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers });

const cases = <T>(values: readonly T[]) =>
  TRANSPORTS.flatMap((transport) => values.map((value) => [transport, value] as const));

describe('allowed origins', () => {
  let h: Harness;
  let token: string;
  let cookie: string;
  const visitorUrl = () => `${h.url}/visitor`;

  beforeAll(async () => {
    h = await startHarness({ allowedOrigins: [SHOP] });
    const created = await h.requestHelp(undefined, { origin: SHOP });
    expect(created.status).toBe(201);
    token = created.json.visitorToken;
    await h.addHelper('Alex');
    cookie = await h.signIn('Alex', 'correct horse battery');
  });
  afterAll(() => h.stop());

  it.each([SHOP, 'own'])('accepts %s over websocket', async (which) => {
    const origin = which === 'own' ? h.origin : which;
    expect(await handshake(visitorUrl(), 'websocket', { origin }, { token })).toEqual({
      connected: true,
    });
  });

  // Checked at the engine.io handshake itself: a polling session is opened for a listed origin
  // and refused with 403 for any other, before any namespace or token is looked at.
  it.each([SHOP, 'own'])('opens a polling session for %s', async (which) => {
    const origin = which === 'own' ? h.origin : which;
    const response = await pollingHandshake(h.url, { origin });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^0\{"sid":"/);
  });

  it.each([...FOREIGN, 'none'])('refuses a polling session for %s with 403', async (origin) => {
    const response = await pollingHandshake(h.url, origin === 'none' ? {} : { origin });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 4, message: 'origin not allowed' });
  });

  // Regression: Express once answered /socket.io/ long-polls too, and the double response
  // crashed the process.
  it('a visitor client connects from a listed origin over polling', async () => {
    expect(await handshake(visitorUrl(), 'polling', { origin: SHOP }, { token })).toEqual({
      connected: true,
    });
  });

  it.each(cases(FOREIGN))('refuses over %s the origin %s', async (transport, origin) => {
    const outcome = await handshake(visitorUrl(), transport, { origin }, { token });
    expect(outcome.connected).toBe(false);
  });

  it.each(TRANSPORTS)('refuses a handshake with no Origin header over %s', async (transport) => {
    expect((await handshake(visitorUrl(), transport, {}, { token })).connected).toBe(false);
  });

  it.each(TRANSPORTS)(
    'refuses no Origin with Sec-Fetch-Site: cross-site over %s',
    async (transport) => {
      const headers = { 'sec-fetch-site': 'cross-site' };
      expect((await handshake(visitorUrl(), transport, headers, { token })).connected).toBe(false);
    },
  );

  it('refuses a listed origin with a bad visitor token', async () => {
    const outcome = await handshake(visitorUrl(), 'websocket', { origin: SHOP }, { token: 'no' });
    expect(outcome).toEqual({ connected: false, message: expect.stringMatching(/^unauthorized/) });
  });

  describe('/agent', () => {
    const agent = (origin: string) => handshake(`${h.url}/agent`, 'websocket', { origin, cookie });

    it("accepts a valid cookie from the server's own origin", async () => {
      expect(await agent(h.origin)).toEqual({ connected: true });
    });

    it('refuses a valid cookie from a listed (embedding) origin', async () => {
      expect(await agent(SHOP)).toEqual({
        connected: false,
        message: 'forbidden: the agent page must be opened from this server',
      });
    });

    it('refuses a valid cookie from a foreign origin', async () => {
      expect((await agent('https://evil.example')).connected).toBe(false);
    });
  });

  describe('REST CORS preflight for POST /api/help-requests', () => {
    const preflight = (origin: string) =>
      fetch(`${h.url}/api/help-requests`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });

    it.each([SHOP, 'own'])('answers 204 with the exact origin for %s', async (which) => {
      const origin = which === 'own' ? h.origin : which;
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toBe('POST');
      expect(response.headers.get('vary')).toMatch(/origin/i);
    });

    it.each(FOREIGN)('answers 403 without CORS headers for %s', async (origin) => {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });

    it('lets a listed origin post a help request and read the answer', async () => {
      const { status } = await h.requestHelp(undefined, { origin: SHOP });
      expect(status).toBe(201);
      const response = await fetch(`${h.url}/api/help-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SHOP },
        body: '{}',
      });
      // Even a refusal carries the CORS header, so the widget can read why.
      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    });

    it('checks the origin before parsing the body, and a bad body still carries CORS', async () => {
      const raw = (origin: string, body: string) =>
        fetch(`${h.url}/api/help-requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body,
        });
      const broken = await raw(SHOP, '{"pageUrl": ');
      expect(broken.status).toBe(400);
      expect(broken.headers.get('access-control-allow-origin')).toBe(SHOP);
      const huge = await raw(SHOP, JSON.stringify({ pageTitle: 'x'.repeat(20_000) }));
      expect(huge.status).toBe(413);
      expect(huge.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect((await raw('https://evil.example', '{"pageUrl": ')).status).toBe(403);
    });
  });
});
