/**
 * Mirror mode through a real server (rule 12): nothing is relayed before the visitor shares,
 * pieces reach only the helper who asked, a helper who opens late gets the latest snapshot,
 * and every way a share can end stops the relay.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MIRROR_LIMITS } from '../../protocol/limits.ts';
import type { MirrorPartPayload, MirrorStatus } from '../../protocol/mirror.ts';
import type { RulesFile } from '../../protocol/rules.ts';
import type { ServerConfig } from '../../server/config.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  nextEvent,
  startHarness,
  type VisitorClient,
  waitFor,
} from '../support/server-harness.ts';

const RULES: RulesFile = {
  rules: [
    { block: ['#card-form'], mask: ['.balance'] },
    { pages: ['https://shop.example/admin/*'], allow: { mirror: false } },
  ],
};

describe('mirror mode on the server', () => {
  let h: Harness;
  afterEach(() => h?.stop());

  async function assigned(overrides: Partial<ServerConfig> = {}, pageUrl?: string) {
    h = await startHarness({ rules: RULES, ...overrides });
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    const { json } = await h.requestHelp(helpRequestBody(pageUrl ? { pageUrl } : {}));
    const visitor = await h.visitor(json.visitorToken);
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
    return { alex, visitor, conversationId: json.conversationId };
  }

  /** Alex asks, the visitor shares: the share's id, as both were told. */
  async function share(alex: AgentClient, visitor: VisitorClient, conversationId: string) {
    const asked = nextEvent(visitor, 'mirror:status', (s) => s.state === 'requested');
    expect(await alex.emitWithAck('mirror:request', { conversationId })).toMatchObject({
      ok: true,
      data: { state: 'requested', helperName: 'Alex' },
    });
    const status = await asked;
    const sharing = nextEvent(alex, 'mirror:status', (s) => s.state === 'sharing');
    const answer = await visitor.emitWithAck('mirror:answer', { conversationId, allow: true });
    expect(answer).toMatchObject({ ok: true, data: { state: 'sharing' } });
    await sharing;
    return status.mirrorId ?? '';
  }

  const piece = (
    conversationId: string,
    mirrorId: string,
    fields: Partial<MirrorPartPayload> = {},
  ): MirrorPartPayload => ({
    conversationId,
    mirrorId,
    batch: 0,
    full: true,
    part: 0,
    parts: 1,
    data: new Uint8Array([1, 2, 3]),
    ...fields,
  });

  it('asks the visitor with the site’s block and mask rules, and relays nothing before they share', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const asked = nextEvent(visitor, 'mirror:status');
    await alex.emitWithAck('mirror:request', { conversationId });
    const status: MirrorStatus = await asked;
    expect(status).toMatchObject({
      conversationId,
      state: 'requested',
      helperName: 'Alex',
      block: ['#card-form'],
      mask: ['.balance'],
    });
    expect(status.mirrorId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const early = await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, status.mirrorId ?? ''),
    );
    expect(early).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('relays each piece to the helper as it arrives, and keeps the latest snapshot for a late replay', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    const relayed = nextEvent(alex, 'mirror:data');
    const first = await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, mirrorId, { parts: 2, data: new Uint8Array([7, 7]) }),
    );
    expect(first).toEqual({ ok: true, data: { snapshot: false } });
    const part = await relayed;
    expect(part).toMatchObject({ conversationId, mirrorId, batch: 0, full: true, part: 0 });
    expect([...new Uint8Array(part.data)]).toEqual([7, 7]);
    await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, mirrorId, { parts: 2, part: 1 }),
    );
    await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, mirrorId, { batch: 1, full: false }),
    );
    const opened = await alex.emitWithAck('mirror:open', { conversationId });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.data.parts.map((p) => [p.batch, p.part, p.full])).toEqual([
      [0, 0, true],
      [0, 1, true],
      [1, 0, false],
    ]);
    // A new page's snapshot replaces what came before.
    await visitor.emitWithAck('mirror:data', piece(conversationId, mirrorId, { batch: 2 }));
    const again = await alex.emitWithAck('mirror:open', { conversationId });
    expect(again.ok && again.data.parts.map((p) => p.batch)).toEqual([2]);
  });

  it('asks the visitor’s page for a snapshot when there is none to build on', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    // Batches after a snapshot the server never got (a restart) are relayed, not kept.
    const later = await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, mirrorId, { batch: 5, full: false }),
    );
    expect(later).toEqual({ ok: true, data: { snapshot: true } });
    const asked = nextEvent(visitor, 'mirror:snapshot');
    const opened = await alex.emitWithAck('mirror:open', { conversationId });
    expect(opened).toEqual({ ok: true, data: { parts: [] } });
    expect(await asked).toEqual({ conversationId });
  });

  it('keeps at most its limit, then asks for a fresh snapshot rather than grow', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    const big = new Uint8Array(MIRROR_LIMITS.partBytes).fill(1);
    const kept = Math.floor(MIRROR_LIMITS.keptBytes / big.byteLength);
    for (let batch = 0; batch < kept; batch++) {
      const answer = await visitor.emitWithAck(
        'mirror:data',
        piece(conversationId, mirrorId, { batch, full: batch === 0, data: big }),
      );
      expect(answer).toEqual({ ok: true, data: { snapshot: false } });
    }
    const over = await visitor.emitWithAck(
      'mirror:data',
      piece(conversationId, mirrorId, { batch: kept, full: false, data: big }),
    );
    expect(over).toEqual({ ok: true, data: { snapshot: true } });
    const opened = await alex.emitWithAck('mirror:open', { conversationId });
    expect(opened).toEqual({ ok: true, data: { parts: [] } });
  }, 30_000);

  it('refuses pieces that are too big, out of range or not bytes, and changes nothing', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    const bad: unknown[] = [
      piece(conversationId, mirrorId, { data: new Uint8Array(MIRROR_LIMITS.partBytes + 1) }),
      piece(conversationId, mirrorId, { data: new Uint8Array(0) }),
      piece(conversationId, mirrorId, { part: 2, parts: 2 }),
      piece(conversationId, mirrorId, { parts: MIRROR_LIMITS.maxParts + 1 }),
      { ...piece(conversationId, mirrorId), data: 'AQID' },
      { ...piece(conversationId, mirrorId), data: [1, 2, 3] },
      { ...piece(conversationId, mirrorId), extra: true },
      { ...piece(conversationId, mirrorId), mirrorId: '../../x' },
    ];
    for (const payload of bad) {
      const answer = await visitor.emitWithAck('mirror:data', payload as MirrorPartPayload);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    const opened = await alex.emitWithAck('mirror:open', { conversationId });
    expect(opened).toEqual({ ok: true, data: { parts: [] } });
  });

  it('"Not now" declines; a stopped share relays nothing more, and a stale share’s pieces are refused', async () => {
    const { alex, visitor, conversationId } = await assigned();
    await alex.emitWithAck('mirror:request', { conversationId });
    const declined = nextEvent(alex, 'mirror:status', (s) => s.state === 'none');
    await visitor.emitWithAck('mirror:answer', { conversationId, allow: false });
    expect(await declined).toMatchObject({ state: 'none', ended: 'declined' });

    const first = await share(alex, visitor, conversationId);
    const stopped = nextEvent(alex, 'mirror:status', (s) => s.state === 'none');
    expect(await visitor.emitWithAck('mirror:stop', { conversationId })).toMatchObject({
      ok: true,
      data: { state: 'none' },
    });
    expect(await stopped).toMatchObject({ ended: 'visitor' });
    const after = await visitor.emitWithAck('mirror:data', piece(conversationId, first));
    expect(after).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const second = await share(alex, visitor, conversationId);
    expect(second).not.toBe(first);
    const stale = await visitor.emitWithAck('mirror:data', piece(conversationId, first));
    expect(stale).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a takeover ends the share: the former helper is told and gets nothing more', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    await h.addHelper('Sam');
    const sam = await h.agent('Sam', 'correct horse battery');
    const told = nextEvent(alex, 'mirror:status', (s) => s.state === 'none');
    const visitorTold = nextEvent(visitor, 'mirror:status', (s) => s.state === 'none');
    const code = (await waitFor(visitor, 'conversation:updated')).joinCode;
    const taken = await sam.emitWithAck('conversation:join-by-code', { code, takeOver: true });
    expect(taken.ok).toBe(true);
    expect(await told).toMatchObject({ ended: 'helper-changed' });
    expect(await visitorTold).toMatchObject({ ended: 'helper-changed' });
    const late = await visitor.emitWithAck('mirror:data', piece(conversationId, mirrorId));
    expect(late).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Sam sees nothing he did not ask for; Alex may no longer open it.
    expect(await alex.emitWithAck('mirror:open', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await sam.emitWithAck('mirror:open', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('a reloaded agent page is told the share is on; so is a reloaded visitor page', async () => {
    const { alex, visitor, conversationId } = await assigned();
    const mirrorId = await share(alex, visitor, conversationId);
    alex.disconnect();
    const again = await h.agent('Alex', 'correct horse battery');
    expect(await waitFor(again, 'mirror:status')).toMatchObject({ state: 'sharing', mirrorId });
    visitor.disconnect();
    const token = (visitor.auth as { token: string }).token;
    const reloaded = await h.visitor(token);
    expect(await waitFor(reloaded, 'mirror:status')).toMatchObject({ state: 'sharing', mirrorId });
  });

  it('refuses "Mirror page" where the site’s rules forbid it', async () => {
    const { alex, conversationId } = await assigned({}, 'https://shop.example/admin/users');
    expect(await alex.emitWithAck('mirror:request', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'the site does not allow mirror on this page' },
    });
  });

  describe("the shared page's images, fonts and stylesheets", () => {
    let site: Server;
    let siteOrigin: string;
    let siteHits: string[];
    const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

    async function startSite() {
      siteHits = [];
      site = createServer((req, res) => {
        siteHits.push(req.url ?? '');
        if (req.url === '/logo.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
        else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>secret page</p>');
      });
      await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
      siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
    }
    afterEach(() => new Promise((done) => site?.close(done)));

    const asset = (cookie: string, conversationId: string, url: string) =>
      fetch(`${h.url}/api/mirror/asset?${new URLSearchParams({ c: conversationId, u: url })}`, {
        headers: { cookie },
      });

    it('are fetched by the server for the helper the page is shared with, and no one else', async () => {
      await startSite();
      const { alex, visitor, conversationId } = await assigned({ allowedOrigins: [siteOrigin] });
      const cookie = await h.signIn('Alex', 'correct horse battery');
      // Not shared yet: nothing reaches the site.
      expect((await asset(cookie, conversationId, `${siteOrigin}/logo.png`)).status).toBe(403);
      await share(alex, visitor, conversationId);
      const got = await asset(cookie, conversationId, `${siteOrigin}/logo.png`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
      expect(got.headers.get('cache-control')).toBe('private, max-age=600');
      expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG);
      // Kept by content: asking again costs the site nothing.
      const etag = got.headers.get('etag') ?? '';
      const again = await fetch(
        `${h.url}/api/mirror/asset?${new URLSearchParams({ c: conversationId, u: `${siteOrigin}/logo.png` })}`,
        { headers: { cookie, 'if-none-match': etag } },
      );
      expect(again.status).toBe(304);
      expect(siteHits).toEqual(['/logo.png']);

      // Pages are not assets; other sites and signed-out callers get nothing.
      expect((await asset(cookie, conversationId, `${siteOrigin}/account`)).status).toBe(415);
      expect((await asset(cookie, conversationId, 'http://169.254.169.254/latest')).status).toBe(
        403,
      );
      expect((await asset('', conversationId, `${siteOrigin}/logo.png`)).status).toBe(401);
      await h.addHelper('Sam');
      const sam = await h.signIn('Sam', 'correct horse battery');
      expect((await asset(sam, conversationId, `${siteOrigin}/logo.png`)).status).toBe(403);
      const bad = await fetch(`${h.url}/api/mirror/asset?c=${conversationId}`, {
        headers: { cookie },
      });
      expect(bad.status).toBe(400);
      expect(siteHits).toEqual(['/logo.png', '/account']);

      // Once sharing stops, so does fetching.
      await visitor.emitWithAck('mirror:stop', { conversationId });
      expect((await asset(cookie, conversationId, `${siteOrigin}/logo.png`)).status).toBe(403);
    });
  });
});
