/**
 * The pure parts of server/domain/ besides the conversation core: who gets the next waiting
 * visitor, what each side is shown of a conversation, and what a user agent says.
 */
import { describe, expect, it } from 'vitest';
import type { RulesFile } from '../../protocol/rules.ts';
import {
  type HelperLoad,
  helperLoads,
  pickHelper,
  planAssignments,
  queueOrder,
  queuePositions,
  waitingMessages,
} from '../../server/domain/assignment.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import { NO_RULES, resolveRules, sameRules } from '../../server/domain/rules.ts';
import { parseUserAgent } from '../../server/domain/user-agent.ts';
import {
  cobrowseStatusView,
  controlStatusView,
  mirrorStatusView,
  summaryView,
  visitorView,
} from '../../server/domain/views.ts';
import { conversationRecord } from '../support/records.ts';
import { UA } from '../support/server-harness.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute)).toISOString();
const waiting = (id: string, minute: number, priority = 0) =>
  conversationRecord({ id, createdAt: at(minute), priority });
const assignedTo = (helperId: string, id: string, minute: number) =>
  conversationRecord({
    id,
    status: 'assigned',
    helperId,
    helperName: helperId,
    assignedAt: at(minute),
  });

const load = (
  name: string,
  availability: 'available' | 'away',
  open: number,
  capacity: number,
  lastAssignedAt = '',
): HelperLoad => ({
  helper: { id: name, name },
  prefs: { availability, capacity },
  open,
  lastAssignedAt,
});

describe('who gets the next waiting visitor', () => {
  it('serves the queue by priority, then age, and leaves out what is not waiting', () => {
    const order = queueOrder([
      waiting('b', 2),
      waiting('urgent', 3, 1),
      assignedTo('alex', 'taken', 0),
      waiting('a', 1),
    ]);
    expect(order.map((c) => c.id)).toEqual(['urgent', 'a', 'b']);
    // A message left for later is not in line: it waits in its own list, oldest first.
    const left = (id: string, minute: number) =>
      conversationRecord({ id, createdAt: at(minute), kind: 'message' });
    const open = [
      waiting('chat', 4),
      left('later', 3),
      left('earlier', 2),
      assignedTo('a', 'x', 1),
    ];
    expect(queueOrder(open).map((c) => c.id)).toEqual(['chat']);
    expect(waitingMessages(open).map((c) => c.id)).toEqual(['earlier', 'later']);
    const answered = { ...left('answered', 1), status: 'assigned' } as ConversationRecord;
    expect(waitingMessages([answered])).toEqual([]);
    expect([...queuePositions([waiting('b', 2), waiting('a', 1)])]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('picks the available helper with the fewest open, then the one assigned longest ago', () => {
    expect(pickHelper([load('a', 'away', 0, 3), load('b', 'available', 2, 2)])).toBeUndefined();
    expect(
      pickHelper([load('a', 'available', 2, 3), load('b', 'available', 1, 3)])?.helper.id,
    ).toBe('b');
    expect(
      pickHelper([load('a', 'available', 1, 3, at(5)), load('b', 'available', 1, 3, at(4))])?.helper
        .id,
    ).toBe('b');
    // Everything equal: by name, so the choice never depends on the order of the list.
    expect(
      pickHelper([load('zoe', 'available', 0, 1), load('ann', 'available', 0, 1)])?.helper.id,
    ).toBe('ann');
    expect(pickHelper([load('a', 'available', 0, 1)])?.helper.id).toBe('a');
  });

  it('counts each helper’s assigned conversations and their newest assignment', () => {
    const loads = helperLoads(
      [
        { helper: { id: 'alex', name: 'Alex' }, prefs: { availability: 'available', capacity: 3 } },
        { helper: { id: 'sam', name: 'Sam' }, prefs: { availability: 'away', capacity: 2 } },
      ],
      [
        assignedTo('alex', 'y', 7),
        assignedTo('alex', 'x', 1),
        waiting('w', 2),
        // Ended conversations are not a load, even if they name the helper.
        { ...assignedTo('alex', 'gone', 9), status: 'ended' },
        assignedTo('sam', 'z', 3),
      ],
    );
    expect(loads.map((l) => [l.helper.id, l.open, l.lastAssignedAt])).toEqual([
      ['alex', 2, at(7)],
      ['sam', 1, at(3)],
    ]);
  });

  it('plans one pass of assignments without overfilling anyone, and stops when all are full', () => {
    const plan = planAssignments(
      [waiting('first', 1), waiting('second', 2), waiting('third', 3), waiting('fourth', 4)],
      [load('alex', 'available', 0, 2), load('sam', 'available', 1, 2, at(0))],
      at(9),
    );
    expect(plan.map((p) => [p.conversationId, p.helper.id])).toEqual([
      ['first', 'alex'],
      // Alex and Sam now have one each; Sam was assigned longer ago.
      ['second', 'sam'],
      ['third', 'alex'],
    ]);
    expect(planAssignments([waiting('w', 1)], [load('a', 'away', 0, 3)], at(9))).toEqual([]);
  });
});

describe('the site’s rules', () => {
  const file: RulesFile = {
    rules: [
      { priority: 1 },
      { pages: ['https://shop.example/account/*'], allow: { follow: false }, block: ['#card'] },
      { pages: ['https://shop.example/*'], mask: ['.address', '#card'] },
      { users: ['vip-*'], priority: 10, allow: { follow: true, control: false } },
    ],
  };

  it('applies every matching rule in order: later allow and priority win, block and mask add up', () => {
    expect(resolveRules({ rules: [] }, { url: 'https://x.example/' })).toEqual(NO_RULES);
    expect(resolveRules(file, { url: 'https://shop.example/account/orders?id=1' })).toEqual({
      priority: 1,
      allow: { follow: false, mirror: true, point: true, control: true },
      block: ['#card'],
      mask: ['.address', '#card'],
    });
    // `*` is any run of characters, and the whole URL must match.
    expect(resolveRules(file, { url: 'https://shop.example/accounts' }).allow.follow).toBe(true);
    expect(
      resolveRules(file, { url: 'https://evil.example/?https://shop.example/account/x' }).block,
    ).toEqual([]);
    expect(resolveRules(file, { url: 'https://shopXexample/account/x' }).block).toEqual([]);
  });

  it('matches users by verified id only', () => {
    const vip = resolveRules(file, {
      url: 'https://shop.example/account/',
      verifiedUserId: 'vip-42',
    });
    expect(vip).toMatchObject({ priority: 10, allow: { follow: true, control: false } });
    expect(
      resolveRules(file, { url: 'https://shop.example/', verifiedUserId: 'user-42' }).priority,
    ).toBe(1);
    expect(resolveRules(file, { url: 'https://shop.example/' }).priority).toBe(1);
  });

  it('takes any of a rule’s pages or users, and never a user who is not verified', () => {
    const several: RulesFile = {
      rules: [
        { pages: ['https://a.example/*', 'https://b.example/*'], priority: 2 },
        { users: ['u-1', 'u-2'], priority: 3 },
        { users: ['*'], block: ['#any-verified'] },
      ],
    };
    expect(resolveRules(several, { url: 'https://b.example/x' }).priority).toBe(2);
    expect(
      resolveRules(several, { url: 'https://c.example/', verifiedUserId: 'u-2' }),
    ).toMatchObject({ priority: 3, block: ['#any-verified'] });
    // `*` takes every verified id, and no unverified visitor.
    expect(resolveRules(several, { url: 'https://c.example/' }).block).toEqual([]);
  });

  it('says when two resolutions are the same', () => {
    expect(sameRules(undefined, NO_RULES)).toBe(true);
    expect(sameRules(NO_RULES, { ...NO_RULES, priority: 1 })).toBe(false);
  });
});

describe('what each side is shown', () => {
  const record: ConversationRecord = conversationRecord({
    id: 'conv-1',
    version: 7,
    status: 'assigned',
    helperId: 'alex',
    helperName: 'Alex',
    visitor: { name: 'Ann' },
    following: { helperId: 'alex', helperName: 'Alex', grantId: 'secret-grant', since: at(1) },
    control: { state: 'granted', helperId: 'alex', helperName: 'Alex' },
    presence: { state: 'away', connected: false, since: at(2) },
    joinCodeExpiresAt: at(30),
  });

  it('never shows a helper the token hash, the version or the follow grant', () => {
    const summary = summaryView(record, { position: 3, readMarks: { visitor: 'm1' } });
    expect(summary).toMatchObject({
      id: 'conv-1',
      helperName: 'Alex',
      queuePosition: 3,
      readUpTo: { visitor: 'm1' },
      kind: 'chat',
      // Presence as a word; when the visitor's sockets closed stays on the server.
      presence: 'away',
    });
    const shown = JSON.stringify(summary);
    for (const secret of [
      'visitorTokenHash',
      'hash-conv-1',
      'secret-grant',
      '"version"',
      'connected',
      'joinCodeExpiresAt',
    ]) {
      expect(shown).not.toContain(secret);
    }
    expect(summaryView(record, { readMarks: {} })).not.toHaveProperty('queuePosition');
  });

  it('shows the visitor their own conversation and nothing about the helper’s page', () => {
    expect(
      visitorView(record, { position: 2, helpersAvailable: true, readMarks: { helper: 'm2' } }),
    ).toEqual({
      id: 'conv-1',
      kind: 'chat',
      status: 'assigned',
      joinCode: record.joinCode,
      helperName: 'Alex',
      queuePosition: 2,
      helpersAvailable: true,
      readUpTo: { helper: 'm2' },
      createdAt: record.createdAt,
    });
    const ended = visitorView(
      {
        ...record,
        status: 'ended',
        endedAt: at(9),
        endedBy: 'helper',
        rating: { value: 'up', at: at(10) },
        helperName: undefined,
      } as ConversationRecord,
      { helpersAvailable: false, readMarks: {} },
    );
    // Who ended it and how the visitor rated it: "Alex ended this chat", "Thanks for rating".
    expect(ended).toMatchObject({
      status: 'ended',
      endedAt: at(9),
      endedBy: 'helper',
      rating: { value: 'up', at: at(10) },
      helpersAvailable: false,
    });
    expect(ended).not.toHaveProperty('helperName');
    expect(ended).not.toHaveProperty('queuePosition');
  });

  it('says who follows and who has control, or that no one does', () => {
    expect(cobrowseStatusView(record)).toEqual({
      conversationId: 'conv-1',
      active: true,
      helperName: 'Alex',
    });
    expect(controlStatusView(record)).toEqual({
      conversationId: 'conv-1',
      state: 'granted',
      helperName: 'Alex',
    });
    const plain = conversationRecord({ id: 'conv-2' });
    expect(cobrowseStatusView(plain)).toEqual({ conversationId: 'conv-2', active: false });
    expect(controlStatusView(plain)).toEqual({ conversationId: 'conv-2', state: 'none' });
  });

  it('says whether the page is shared, with the site’s block and mask rules for the recorder, and why a share ended', () => {
    const sharing = {
      ...record,
      mirror: {
        state: 'sharing',
        helperId: 'alex',
        helperName: 'Alex',
        mirrorId: 'mirror-1',
        since: at(3),
      },
      rules: {
        priority: 0,
        allow: { follow: true, mirror: true, point: true, control: true },
        block: ['#card'],
        mask: ['.balance'],
      },
    } as ConversationRecord;
    expect(mirrorStatusView(sharing)).toEqual({
      conversationId: 'conv-1',
      state: 'sharing',
      helperName: 'Alex',
      mirrorId: 'mirror-1',
      block: ['#card'],
      mask: ['.balance'],
    });
    expect(mirrorStatusView(conversationRecord({ id: 'conv-2' }), 'declined')).toEqual({
      conversationId: 'conv-2',
      state: 'none',
      block: [],
      mask: [],
      ended: 'declined',
    });
    // The share's id is for the two pages of this share only: never in a helper's summary.
    expect(JSON.stringify(summaryView(sharing, { readMarks: {} }))).not.toContain('mirror-1');
  });
});

describe('what the user agent says', () => {
  it('reads browser, OS and device, and lets client hints correct the frozen string', () => {
    expect(parseUserAgent(UA.chromeWindows)).toMatchObject({
      browser: { name: 'Chrome', version: '131.0.0.0' },
      os: { name: 'Windows', version: '10' },
      device: { type: 'desktop' },
    });
    const hinted = parseUserAgent(UA.chromeWindows, {
      platform: 'Windows',
      platformVersion: '15.0.0',
      fullVersionList: [{ brand: 'Google Chrome', version: '131.0.6778.86' }],
    });
    expect(hinted.os).toEqual({ name: 'Windows', version: '11' });
    expect(hinted.browser.version).toBe('131.0.6778.86');
    // Windows 11 reports platform version 13 and up; Windows 10 below.
    const windows = (platformVersion: string) =>
      parseUserAgent(UA.chromeWindows, { platform: 'Windows', platformVersion }).os.version;
    expect(windows('13.0.0')).toBe('11');
    expect(windows('10.0.0')).toBe('10');
    // The browser's own brand among the others, whether named in full or as the parser does.
    const brands = (list: [string, string][]) =>
      parseUserAgent(UA.chromeWindows, {
        fullVersionList: list.map(([brand, version]) => ({ brand, version })),
      }).browser.version;
    expect(
      brands([
        ['Not_A Brand', '8.0.0.0'],
        ['Chromium', '131.0.1'],
        ['Google Chrome', '131.0.2'],
      ]),
    ).toBe('131.0.2');
    expect(
      brands([
        ['Not_A Brand', '8.0.0.0'],
        ['Chrome', '131.0.3'],
      ]),
    ).toBe('131.0.3');
    expect(brands([['Not_A Brand', '8.0.0.0']])).toBe('131.0.0.0');
    expect(parseUserAgent(UA.chromeWindows).engine).toEqual({
      name: 'Blink',
      version: '131.0.0.0',
    });
    const ipad =
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(parseUserAgent(ipad).device.type).toBe('tablet');
    expect(parseUserAgent(UA.safariIphone).device).toMatchObject({
      type: 'mobile',
      vendor: 'Apple',
      model: 'iPhone',
    });
    expect(parseUserAgent(UA.edgeAndroid, { model: 'Pixel 8', mobile: true }).device).toMatchObject(
      {
        type: 'mobile',
        model: 'Pixel 8',
      },
    );
    // A desktop-looking string from a browser that says it is mobile.
    expect(parseUserAgent(UA.firefoxLinux, { mobile: true }).device.type).toBe('mobile');
    expect(parseUserAgent('SmartTV/1.0 (Linux; Tizen 6.0) SMART-TV').device.type).toBe('other');
    // Nothing known is left out rather than written as empty.
    expect(parseUserAgent('curl/8.0').browser).toEqual({});
  });
});
