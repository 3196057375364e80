/**
 * The site owner's rules (rule 11) and verified identity, through a real server: what the
 * rules forbid is refused and ended, priority orders the queue, and only a user id signed
 * with HELP_IDENTITY_SECRET is verified.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../protocol/domain.ts';
import type { RulesFile } from '../../protocol/rules.ts';
import { configFromEnv } from '../../server/config.ts';
import { rulesFromEnv } from '../../server/rules-file.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  nextEvent,
  startHarness,
  waitFor,
} from '../support/server-harness.ts';

const SECRET = 'identity-secret-for-tests';
const sign = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex');
const SHOP = 'https://shop.example';
const RULES: RulesFile = {
  rules: [
    { pages: [`${SHOP}/account/*`], allow: { follow: false } },
    { users: ['vip-*'], priority: 5, allow: { control: false } },
  ],
};

describe('the site’s rules and verified visitors', () => {
  let h: Harness;
  afterEach(() => h?.stop());

  async function alexAvailable(capacity = 3): Promise<AgentClient> {
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    await alex.emitWithAck('helper:availability', { availability: 'available', capacity });
    return alex;
  }

  it('verifies a user id only by its signature, and never keeps the signature', async () => {
    h = await startHarness({ rules: RULES, identitySecret: SECRET });
    const real = await h.requestHelp(
      helpRequestBody({ visitor: { userId: 'vip-1', userHash: sign('vip-1') } }),
    );
    const forged = await h.requestHelp(
      helpRequestBody({ visitor: { userId: 'vip-2', userHash: sign('vip-1') } }),
    );
    const claimed = await h.requestHelp(helpRequestBody({ visitor: { userId: 'vip-3' } }));
    const visitorOf = async (id: string) => (await h.store.getConversation(id))?.visitor;
    expect(await visitorOf(real.json.conversationId)).toEqual({ userId: 'vip-1', verified: true });
    expect(await visitorOf(forged.json.conversationId)).toEqual({
      userId: 'vip-2',
      verified: false,
    });
    expect(await visitorOf(claimed.json.conversationId)).toEqual({
      userId: 'vip-3',
      verified: false,
    });
    // Only the verified visitor gets the VIP rules.
    const priority = async (id: string) => (await h.store.getConversation(id))?.priority;
    expect(await priority(real.json.conversationId)).toBe(5);
    expect(await priority(forged.json.conversationId)).toBe(0);
    expect(await priority(claimed.json.conversationId)).toBe(0);
  });

  it('serves a higher-priority verified visitor first', async () => {
    h = await startHarness({ rules: RULES, identitySecret: SECRET });
    const first = await h.requestHelp();
    const vip = await h.requestHelp(
      helpRequestBody({ visitor: { userId: 'vip-7', userHash: sign('vip-7') } }),
    );
    const alex = await alexAvailable(1);
    // Alex takes one at a time: the VIP, who came second, is his.
    const [assigned] = (await h.store.listOpenConversations()).filter(
      (c) => c.status === 'assigned',
    );
    expect(assigned?.id).toBe(vip.json.conversationId);
    // The one who came first waits, now first in line.
    await expect
      .poll(async () => (await h.store.getConversation(first.json.conversationId))?.status)
      .toBe('waiting');
    expect(alex.connected).toBe(true);
  });

  it('refuses following where the rules forbid it, and ends it when the visitor goes there', async () => {
    h = await startHarness({ rules: RULES, identitySecret: SECRET });
    const alex = await alexAvailable();
    const { json } = await h.requestHelp(helpRequestBody({ pageUrl: `${SHOP}/account/orders` }));
    const conversationId = json.conversationId;
    const visitor = await h.visitor(json.visitorToken);
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
    const refused = await alex.emitWithAck('cobrowse:start', { conversationId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The helper's view says so, so the agent page can leave the button out.
    const summary = await waitFor(alex, 'conversation:updated', (c) => c.id === conversationId);
    expect(summary.rules?.allow.follow).toBe(false);

    await visitor.emitWithAck('conversation:page', {
      conversationId,
      url: `${SHOP}/catalogue`,
      title: 'Catalogue',
    });
    const allowed = await alex.emitWithAck('cobrowse:start', { conversationId });
    expect(allowed.ok).toBe(true);
    const stopped = nextEvent(alex, 'cobrowse:status', (s) => !s.active);
    await visitor.emitWithAck('cobrowse:change', {
      conversationId,
      type: 'navigate',
      key: 'page',
      value: { url: `${SHOP}/account/card`, title: 'Card' },
    });
    expect(await stopped).toEqual({ conversationId, active: false });
    expect((await h.store.getConversation(conversationId))?.following).toBeUndefined();
  });

  it('refuses control to a visitor’s helper where the rules forbid it', async () => {
    h = await startHarness({ rules: RULES, identitySecret: SECRET });
    const alex = await alexAvailable();
    const { json } = await h.requestHelp(
      helpRequestBody({
        pageUrl: `${SHOP}/catalogue`,
        visitor: { userId: 'vip-9', userHash: sign('vip-9') },
      }),
    );
    const visitor = await h.visitor(json.visitorToken);
    await waitFor(visitor, 'conversation:updated', (c) => c.status === 'assigned');
    const conversationId = json.conversationId;
    expect((await alex.emitWithAck('cobrowse:start', { conversationId })).ok).toBe(true);
    expect(await alex.emitWithAck('control:request', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('finds a visitor’s live conversations by user id, verified first, as a join attempt', async () => {
    h = await startHarness({ identitySecret: SECRET, joinCodeRate: { burst: 2, perSecond: 0.01 } });
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    const claimed = await h.requestHelp(helpRequestBody({ visitor: { userId: 'u-1' } }));
    const verified = await h.requestHelp(
      helpRequestBody({ visitor: { userId: 'u-1', userHash: sign('u-1') } }),
    );
    await h.requestHelp(helpRequestBody({ visitor: { userId: 'u-2', userHash: sign('u-2') } }));
    const found = await alex.emitWithAck('conversation:find-by-user', { userId: 'u-1' });
    if (!found.ok) throw new Error(found.error.message);
    expect(
      found.data.conversations.map((c: ConversationSummary) => [c.id, c.visitor.verified]),
    ).toEqual([
      [verified.json.conversationId, true],
      [claimed.json.conversationId, false],
    ]);
    // With its code the helper can join, as if the visitor had read it out.
    expect(found.data.conversations[0]?.joinCode).toBe(verified.json.joinCode);
    const none = await alex.emitWithAck('conversation:find-by-user', { userId: 'nobody' });
    expect(none).toEqual({ ok: true, data: { conversations: [] } });
    // Each search counts against the helper's join attempts: codes are not for harvesting.
    expect(await alex.emitWithAck('conversation:find-by-user', { userId: 'u-2' })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
  });

  it('refuses a search with no user id', async () => {
    h = await startHarness();
    await h.addHelper('Alex');
    const alex = await h.agent('Alex', 'correct horse battery');
    expect(await alex.emitWithAck('conversation:find-by-user', { userId: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });

  it('reads the rules file, and stops at start-up on one it cannot use, saying where', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'help-rules-'));
    expect(rulesFromEnv({}, dir)).toBeUndefined();
    await writeFile(join(dir, 'help-rules.json'), JSON.stringify(RULES));
    expect(rulesFromEnv({}, dir)).toEqual(RULES);
    await writeFile(join(dir, 'bad.json'), '{"rules": [{"allow": {"follow": "no"}}]}');
    expect(() => rulesFromEnv({ HELP_RULES_FILE: 'bad.json' }, dir)).toThrow(
      /bad\.json: rules\.0\.allow\.follow: /,
    );
    await writeFile(join(dir, 'broken.json'), '{"rules": [');
    expect(() => rulesFromEnv({ HELP_RULES_FILE: 'broken.json' }, dir)).toThrow(/broken\.json: /);
    expect(() => rulesFromEnv({ HELP_RULES_FILE: 'missing.json' }, dir)).toThrow(/missing\.json/);
    // A short identity secret would let ids be forged by guessing: refused at start-up too.
    expect(() => configFromEnv({ HELP_IDENTITY_SECRET: 'short' })).toThrow(
      /HELP_IDENTITY_SECRET must be at least 16 characters/,
    );
    expect(configFromEnv({ HELP_IDENTITY_SECRET: SECRET }).config.identitySecret).toBe(SECRET);
  });
});
