/**
 * Whatever a client sends, the server answers with a clean error, stays up and changes
 * nothing on disk. Every case runs against a real server over real sockets and HTTP.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../protocol/ack.ts';
import {
  type AgentClient,
  type Harness,
  helpRequestBody,
  newId,
  nextEvent,
  startHarness,
  type VisitorClient,
} from '../support/server-harness.ts';

const PASSWORD = 'correct horse battery';
const FAST = { burst: 1000, perSecond: 1000 };

/** Every file under `dir`, by relative path, with its contents. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) files[relative(dir, path)] = await readFile(path, 'utf8');
  }
  return files;
}

/** The error-ack shape, exactly: `{ok: false, error: {code, message}}` with a real message. */
function expectError(answer: unknown, code: ErrorCode): void {
  expect(answer).toStrictEqual({ ok: false, error: { code, message: expect.any(String) } });
  expect((answer as { error: { message: string } }).error.message.trim()).not.toBe('');
}

/** The contract's types would refuse garbage at compile time; a real client can send it. */
const loose = (socket: VisitorClient | AgentClient) => socket as unknown as Socket;

interface Ctx {
  /** The visitor's own conversation, assigned to Alex, with one message. */
  mine: string;
  /** Another visitor's conversation, still waiting (Alex is full). */
  waiting: string;
  /** Well-formed id of no conversation at all. */
  unknown: string;
}

interface SocketCase {
  name: string;
  event: string;
  args: (c: Ctx) => unknown[];
  code: ErrorCode;
}

/** Cases expecting one error code, keyed by title; a title starts with the event's name. */
const failing = (code: ErrorCode, table: Record<string, (c: Ctx) => unknown[]>): SocketCase[] =>
  Object.entries(table).map(([name, args]) => ({ name, event: name.split(' ')[0]!, args, code }));

/** it.each titles in full: vitest would quote and cut `$name` at 40 characters. */
const titled = <T extends { name: string; code: ErrorCode; status?: number }>(cases: T[]) =>
  cases.map((c) => [`${c.name} → ${c.status ? `${c.status} ` : ''}${c.code}`, c] as const);

const mirrorPiece = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  conversationId: c.mine,
  mirrorId: newId(),
  batch: 0,
  full: true,
  part: 0,
  parts: 1,
  data: new Uint8Array([1]),
  ...extra,
});

const send = (c: Ctx, extra: Record<string, unknown> = {}) => ({
  conversationId: c.mine,
  id: newId(),
  text: 'hello',
  ...extra,
});

/**
 * Adds a prototype-pollution key as an own property. Only JSON.parse makes `__proto__` an own
 * key; an object literal would set the prototype instead and socket.io would never send it.
 */
function poisoned(payload: object, key: '__proto__' | 'constructor' | 'prototype'): unknown {
  const value = key === 'constructor' ? '{"prototype":{"polluted":1}}' : '{"polluted":1}';
  return JSON.parse(JSON.stringify(payload).replace(/^\{/, `{"${key}":${value},`));
}

const commonCases: SocketCase[] = [
  ...failing('invalid_payload', {
    'chat:send with a number payload': () => [42],
    'chat:send with a string payload': () => ['hello'],
    'chat:send with an array payload': (c) => [[send(c)]],
    'chat:send with a null payload': () => [null],
    'chat:send with text as a number': (c) => [send(c, { text: 42 })],
    'chat:send with conversationId as a number': (c) => [send(c, { conversationId: 12345678 })],
    'chat:send without text': (c) => [{ conversationId: c.mine, id: newId() }],
    'chat:send without id': (c) => [{ conversationId: c.mine, text: 'hi' }],
    'chat:send with an unknown extra key': (c) => [send(c, { admin: true })],
    'chat:send with empty text': (c) => [send(c, { text: '' })],
    'chat:send with whitespace-only text': (c) => [send(c, { text: ' \n\t  ' })],
    'chat:send with a too-short id': (c) => [send(c, { id: 'abc' })],
    'chat:send with illegal id chars': (c) => [send(c, { id: '../../etc/passwd' })],
    'chat:send with a 10 KB id': (c) => [send(c, { id: 'a'.repeat(10_240) })],
    'chat:send with an own __proto__ key': (c) => [poisoned(send(c), '__proto__')],
    'chat:send with constructor.prototype keys': (c) => [poisoned(send(c), 'constructor')],
    'chat:send with no payload, only an ack': () => [],
    'chat:history without conversationId': () => [{}],
    'chat:history with a malformed after': (c) => [{ conversationId: c.mine, after: 'no spaces!' }],
    'chat:history with a prototype key': (c) => [poisoned({ conversationId: c.mine }, 'prototype')],
    'chat:history with no payload, only an ack': () => [],
    'chat:typing with typing as a string': (c) => [{ conversationId: c.mine, typing: 'yes' }],
    'chat:typing with an own __proto__ key': (c) => [
      poisoned({ conversationId: c.mine, typing: true }, '__proto__'),
    ],
    'chat:read with upTo as a number': (c) => [{ conversationId: c.mine, upTo: 12345678 }],
  }),
  ...failing('too_long', {
    'chat:send with text over 4000 chars': (c) => [send(c, { text: 'x'.repeat(4001) })],
  }),
  ...failing('not_found', {
    'chat:read upTo a message id that does not exist': (c) => [
      { conversationId: c.mine, upTo: newId() },
    ],
  }),
];

const visitorCases: SocketCase[] = [
  ...failing('invalid_payload', {
    'conversation:end with a number payload': () => [7],
    'conversation:end with an own __proto__ key': (c) => [
      poisoned({ conversationId: c.mine }, '__proto__'),
    ],
    'conversation:end with no payload, only an ack': () => [],
    'visitor:identify with a number for a name': (c) => [
      { conversationId: c.mine, visitor: { name: 5 } },
    ],
    'visitor:identify without the visitor': (c) => [{ conversationId: c.mine }],
    'visitor:identify with an email that is not one': (c) => [
      { conversationId: c.mine, visitor: { email: 'a@' } },
    ],
    'visitor:visibility with visible as a string': (c) => [
      { conversationId: c.mine, visible: 'yes' },
    ],
    'visitor:visibility with an own __proto__ key': (c) => [
      poisoned({ conversationId: c.mine, visible: true }, '__proto__'),
    ],
    'mirror:answer with allow as a string': (c) => [{ conversationId: c.mine, allow: 'yes' }],
    'mirror:data with base64 text for bytes': (c) => [mirrorPiece(c, { data: 'AQID' })],
    'mirror:data with a 64 KB piece': (c) => [mirrorPiece(c, { data: new Uint8Array(65_536) })],
    'mirror:data with a negative batch': (c) => [mirrorPiece(c, { batch: -1 })],
    'mirror:data with an own __proto__ key': (c) => [poisoned(mirrorPiece(c), '__proto__')],
    'mirror:stop with no payload, only an ack': () => [],
  }),
  // A visitor learns nothing about other conversations, not even whether they exist.
  ...failing('forbidden', {
    'chat:send to an unknown conversation': (c) => [send(c, { conversationId: c.unknown })],
    'chat:history of an unknown conversation': (c) => [{ conversationId: c.unknown }],
    "chat:send to another visitor's conversation": (c) => [send(c, { conversationId: c.waiting })],
    "chat:history of another visitor's conversation": (c) => [{ conversationId: c.waiting }],
    "chat:read in another visitor's conversation": (c) => [
      { conversationId: c.waiting, upTo: newId() },
    ],
    "chat:typing in another visitor's conversation": (c) => [
      { conversationId: c.waiting, typing: true },
    ],
    "conversation:end of another visitor's conversation": (c) => [{ conversationId: c.waiting }],
    "visitor:identify in another visitor's conversation": (c) => [
      { conversationId: c.waiting, visitor: { name: 'Mallory' } },
    ],
    "visitor:visibility of another visitor's conversation": (c) => [
      { conversationId: c.waiting, visible: false },
    ],
    "mirror:answer in another visitor's conversation": (c) => [
      { conversationId: c.waiting, allow: true },
    ],
    "mirror:data into another visitor's conversation": (c) => [
      mirrorPiece(c, { conversationId: c.waiting }),
    ],
    'mirror:data while nothing is shared': (c) => [mirrorPiece(c)],
    "mirror:stop of another visitor's conversation": (c) => [{ conversationId: c.waiting }],
  }),
];

const agentCases: SocketCase[] = [
  ...failing('not_found', {
    'chat:send to an unknown conversation': (c) => [send(c, { conversationId: c.unknown })],
    'chat:history of an unknown conversation': (c) => [{ conversationId: c.unknown }],
    'chat:read in an unknown conversation': (c) => [{ conversationId: c.unknown, upTo: newId() }],
    'conversation:accept of an unknown conversation': (c) => [{ conversationId: c.unknown }],
    'conversation:end of an unknown conversation': (c) => [{ conversationId: c.unknown }],
    'canned:delete of a reply that does not exist': () => [{ id: newId() }],
    'visitor:earlier of an unknown conversation': (c) => [{ conversationId: c.unknown }],
    'canned:save of a reply that does not exist': () => [
      { id: newId(), shortcut: 'gone', text: 'Hi' },
    ],
    'conversation:transfer to a helper who does not exist': (c) => [
      { conversationId: c.mine, to: 'Nobody' },
    ],
  }),
  ...failing('forbidden', {
    'chat:send to a waiting (unaccepted) conversation': (c) => [
      send(c, { conversationId: c.waiting }),
    ],
    'chat:typing in a waiting conversation': (c) => [{ conversationId: c.waiting, typing: true }],
    'conversation:end of a waiting conversation': (c) => [{ conversationId: c.waiting }],
    // Marking read is taking part: only for the assigned helper, not for onlookers.
    'chat:read in a waiting conversation': (c) => [{ conversationId: c.waiting, upTo: c.unknown }],
    'mirror:request of a waiting conversation': (c) => [{ conversationId: c.waiting }],
    'mirror:open while nothing is shared': (c) => [{ conversationId: c.mine }],
    'mirror:point while nothing is shared': (c) => [{ conversationId: c.mine, nodeId: 1 }],
    'mirror:control while nothing is shared': (c) => [
      { conversationId: c.mine, action: { kind: 'click', nodeId: 1 } },
    ],
  }),
  ...failing('invalid_payload', {
    'helper:availability with capacity 0': () => [{ availability: 'available', capacity: 0 }],
    'helper:availability with capacity 21': () => [{ availability: 'available', capacity: 21 }],
    'helper:availability with capacity 1.5': () => [{ availability: 'available', capacity: 1.5 }],
    "helper:availability with availability 'busy'": () => [{ availability: 'busy' }],
    'helper:availability with an own __proto__ key': () => [
      poisoned({ availability: 'away' }, '__proto__'),
    ],
    'helper:availability with no payload, only an ack': () => [],
    "conversation:join-by-code with 'abc'": () => [{ code: 'abc' }],
    'conversation:join-by-code with takeOver as a string': () => [
      { code: '123456789', takeOver: 'yes' },
    ],
    'conversation:transfer without a helper': (c) => [{ conversationId: c.mine }],
    'conversation:transfer with a note that is a number': (c) => [
      { conversationId: c.mine, to: 'Sam', note: 42 },
    ],
    'helper:colleagues with something in it': () => [{ all: true }],
    'visitor:earlier-messages without the earlier id': (c) => [{ conversationId: c.mine }],
    'visitor:earlier-messages with an earlier id of markup': (c) => [
      { conversationId: c.mine, earlierId: '<b>x</b>' },
    ],
    'canned:save with a space in the shortcut': () => [{ shortcut: 'my reply', text: 'Hi' }],
    'canned:save with no text': () => [{ shortcut: 'hi', text: ' ' }],
    'canned:list with something in it': () => [{ q: 'x' }],
    'chat:send with internal: false (a note is true or absent)': (c) => [
      send(c, { internal: false }),
    ],
    'conversation:transfer to a name with markup': (c) => [
      { conversationId: c.mine, to: '<b>Sam</b>' },
    ],
    'conversation:transfer with an own __proto__ key': (c) => [
      poisoned({ conversationId: c.mine, to: 'Sam' }, '__proto__'),
    ],
    "conversation:join-by-code with '12345'": () => [{ code: '12345' }],
    'conversation:join-by-code with a number': () => [{ code: 123456 }],
    'mirror:point with a negative node': (c) => [{ conversationId: c.mine, nodeId: -1 }],
    'mirror:point with a node as text': (c) => [{ conversationId: c.mine, nodeId: '42' }],
    'mirror:control with an action of an unknown kind': (c) => [
      { conversationId: c.mine, action: { kind: 'submit', nodeId: 1 } },
    ],
    'mirror:control with a 20,000-character value': (c) => [
      { conversationId: c.mine, action: { kind: 'input', nodeId: 1, value: 'x'.repeat(20_000) } },
    ],
    'mirror:open with an own __proto__ key': (c) => [
      poisoned({ conversationId: c.mine }, '__proto__'),
    ],
    'conversation:accept with a string payload': (c) => [c.waiting],
    'conversation:accept with constructor.prototype keys': (c) => [
      poisoned({ conversationId: c.waiting }, 'constructor'),
    ],
  }),
];

/** Blake is signed in too, but Alex's conversation is not his. */
const otherHelperCases = failing('forbidden', {
  "chat:send in Alex's conversation": (c) => [send(c)],
  "chat:typing in Alex's conversation": (c) => [{ conversationId: c.mine, typing: true }],
  "chat:history of Alex's conversation": (c) => [{ conversationId: c.mine }],
  "chat:read in Alex's conversation": (c) => [{ conversationId: c.mine, upTo: c.unknown }],
  "conversation:transfer of Alex's conversation": (c) => [{ conversationId: c.mine, to: 'Blake' }],
  "mirror:request of Alex's conversation": (c) => [{ conversationId: c.mine }],
  "mirror:stop of Alex's conversation": (c) => [{ conversationId: c.mine }],
  "mirror:open of Alex's conversation": (c) => [{ conversationId: c.mine }],
});

type Reply = { status: number; json: unknown };
type Call = (h: Harness) => Promise<Reply>;

async function post(h: Harness, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${h.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as unknown };
}

const json = { 'content-type': 'application/json' };
const valid = () => JSON.stringify(helpRequestBody());
/** A help request with these top-level fields replaced (undefined: left out). */
const help =
  (fields: Record<string, unknown>): Call =>
  (h) =>
    h.requestHelp({ ...helpRequestBody(), ...fields });
const signIn =
  (body: unknown): Call =>
  (h) =>
    post(h, '/api/agent/session', JSON.stringify(body), { ...json, origin: h.origin });

interface RestCase {
  name: string;
  status: number;
  code: ErrorCode;
  call: Call;
  /** A word the error message must contain, e.g. the bad field's name. */
  mentions: string | undefined;
}

/** Cases answered with one status and code, keyed by what is wrong: [call, mentions?]. */
const rest = (status: number, code: ErrorCode, table: Record<string, [Call, string?]>) =>
  Object.entries(table).map(
    ([name, [call, mentions]]): RestCase => ({ name, status, code, call, mentions }),
  );

const restCases: RestCase[] = [
  ...rest(400, 'invalid_payload', {
    'help request that is not valid JSON': [(h) => h.requestHelp('{"pageUrl": '), 'JSON'],
    'help request whose JSON is an array': [(h) => h.requestHelp([helpRequestBody()])],
    'help request sent as text/plain': [
      (h) => h.requestHelp(valid(), { 'content-type': 'text/plain' }),
    ],
    'help request without pageUrl': [help({ pageUrl: undefined }), 'pageUrl'],
    'help request with a javascript: pageUrl': [
      help({ pageUrl: 'javascript:alert(1)' }),
      'pageUrl',
    ],
    'help request with screen as a string': [help({ screen: '1920x1080' }), 'screen'],
    'help request with pixelRatio 0': [help({ pixelRatio: 0 }), 'pixelRatio'],
    'help request with an unknown top-level key': [help({ isAdmin: true }), 'isAdmin'],
    'help request with a top-level __proto__ key': [
      (h) => h.requestHelp(valid().replace(/^\{/, '{"__proto__":{"polluted":1},')),
      '__proto__',
    ],
    'help request whose first message has no text': [
      help({ message: { id: 'first-message-1' } }),
      'message.text',
    ],
    'help request whose first message is blank': [
      help({ message: { id: 'first-message-1', text: ' \n ' } }),
      'message.text',
    ],
    'help request whose first message is over 4000 chars': [
      help({ message: { id: 'first-message-1', text: 'x'.repeat(4001) } }),
      'message.text',
    ],
    "help request of kind 'urgent'": [help({ kind: 'urgent' }), 'kind'],
    'help request with a visitor key that is too short': [
      help({ visitorKey: 'abc' }),
      'visitorKey',
    ],
    'help request with a visitor key holding markup': [
      help({ visitorKey: '<script>alert(1)</script>x' }),
      'visitorKey',
    ],
    'sign-in without a password': [signIn({ name: 'Alex' }), 'password'],
    "sign-in choosing availability 'busy'": [
      signIn({ name: 'Alex', password: PASSWORD, availability: 'busy' }),
      'availability',
    ],
  }),
  ...rest(413, 'too_long', {
    'help request body over 16 KB': [help({ pageTitle: 'x'.repeat(17 * 1024) })],
  }),
  ...rest(403, 'forbidden', {
    'help request with no Origin header': [
      (h) => post(h, '/api/help-requests', valid(), json),
      'Origin',
    ],
    'help request from a disallowed origin': [
      (h) => h.requestHelp(valid(), { origin: 'https://evil.example' }),
      'evil.example',
    ],
  }),
  ...rest(401, 'unauthorized', {
    'sign-in with a wrong password': [
      signIn({ name: 'Alex', password: 'wrong horse' }),
      'wrong name or password',
    ],
    'sign-in with an unknown name': [
      signIn({ name: 'Nobody', password: PASSWORD }),
      'wrong name or password',
    ],
  }),
];

describe('malformed payloads', () => {
  let h: Harness;
  let agent: AgentClient;
  let otherAgent: AgentClient;
  let visitor: VisitorClient;
  let spare: VisitorClient;
  let ctx: Ctx;

  beforeAll(async () => {
    h = await startHarness({ chatRate: FAST, helpRequestRate: FAST, joinCodeRate: FAST });
    await h.addHelper('Alex');
    await h.addHelper('Blake');
    agent = await h.agent('Alex', PASSWORD);
    const status = await agent.emitWithAck('helper:availability', {
      availability: 'available',
      capacity: 1,
    });
    expect(status.ok).toBe(true);
    const mine = await h.requestHelp();
    const waiting = await h.requestHelp();
    expect([mine.status, waiting.status]).toEqual([201, 201]);
    ctx = {
      mine: mine.json.conversationId,
      waiting: waiting.json.conversationId,
      unknown: 'Unknown_conversation-0001',
    };
    expect((await h.store.getConversation(ctx.mine))?.status).toBe('assigned');
    expect((await h.store.getConversation(ctx.waiting))?.status).toBe('waiting');
    // Blake stays away, so connecting moves nothing; both sign-ins are on disk before the snapshot.
    otherAgent = await h.agent('Blake', PASSWORD);
    visitor = await h.visitor(mine.json.visitorToken);
    spare = await h.visitor(mine.json.visitorToken);
    const first = await visitor.emitWithAck('chat:send', {
      conversationId: ctx.mine,
      id: newId(),
      text: 'First message',
    });
    expect(first.ok).toBe(true);
    expect(Object.keys(await snapshot(h.dataDir)).sort()).toEqual(
      [
        // History search's index, started empty on the first start.
        join('archive', 'search', 'terms.log'),
        // The reports' log, likewise.
        join('archive', 'reports', 'entries.log'),
        // The visitors' index, marked whole (it lists every archived conversation: none).
        join('archive', 'visitors', 'complete'),
        'desk.json',
        'helpers.json',
        join('journal', '00000001.log'),
      ].sort(),
    );
  });
  afterAll(() => h.stop());

  const ack = (socket: VisitorClient | AgentClient, { event, args }: SocketCase) =>
    loose(socket)
      .timeout(5000)
      .emitWithAck(event, ...args(ctx));

  /**
   * Each case proves on its own that it changed nothing: no file under the data directory,
   * nothing on Object.prototype. So the cases pass, and mean something, in any order.
   */
  async function changesNothing(run: () => Promise<void>): Promise<void> {
    const before = await snapshot(h.dataDir);
    await run();
    expect(await snapshot(h.dataDir)).toStrictEqual(before);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }

  it.each(titled([...commonCases, ...visitorCases]))('visitor: %s', (_, c) =>
    changesNothing(async () => expectError(await ack(visitor, c), c.code)),
  );

  it.each(titled([...commonCases, ...agentCases]))('helper: %s', (_, c) =>
    changesNothing(async () => expectError(await ack(agent, c), c.code)),
  );

  it.each(titled(otherHelperCases))('another helper: %s', (_, c) =>
    changesNothing(async () => expectError(await ack(otherAgent, c), c.code)),
  );

  it('events without any ack change nothing and the socket keeps working', () =>
    changesNothing(async () => {
      for (const socket of [loose(visitor), loose(agent)]) {
        socket.emit('chat:send', { conversationId: ctx.mine, text: 42 });
        socket.emit('chat:send');
        socket.emit('chat:typing', null);
        socket.emit('conversation:end', 'nonsense');
        socket.emit('no:such-event', { anything: true });
      }
      // Nothing to wait for but the next acked event: the server still answers on both sockets.
      for (const socket of [visitor, agent]) {
        const history = await socket.emitWithAck('chat:history', { conversationId: ctx.mine });
        expect(history.ok && history.data.messages[0]?.text).toBe('First message');
      }
    }));

  it('drops a socket whose payload exceeds 64 KB and keeps serving the others', async () => {
    const dropped = new Promise<string>((resolve) => spare.once('disconnect', resolve));
    loose(spare).emit('chat:send', send(ctx, { text: 'x'.repeat(70 * 1024) }));
    expect(await dropped).toMatch(/transport (close|error)/);
    expect(spare.connected).toBe(false);
    const typing = await visitor.emitWithAck('chat:typing', {
      conversationId: ctx.mine,
      typing: false,
    });
    expect(typing).toEqual({ ok: true, data: null });
  });

  it.each(titled(restCases))('REST: %s', (_, { call, status, code, mentions }) =>
    changesNothing(async () => {
      const { status: got, json } = await call(h);
      expect(got).toBe(status);
      expectError(json, code);
      if (mentions)
        expect((json as { error: { message: string } }).error.message).toContain(mentions);
    }),
  );

  it('still carries a normal chat both ways afterwards', async () => {
    const helperSees = nextEvent(agent, 'chat:message', (m) => m.text === 'Still there?');
    const sent = await visitor.emitWithAck('chat:send', send(ctx, { text: 'Still there?' }));
    expect(sent).toMatchObject({ ok: true, data: { from: 'visitor' } });
    expect(await helperSees).toMatchObject({ conversationId: ctx.mine, from: 'visitor' });

    const visitorSees = nextEvent(visitor, 'chat:message', (m) => m.from === 'helper');
    const reply = await agent.emitWithAck('chat:send', send(ctx, { text: 'Yes, here' }));
    expect(reply.ok).toBe(true);
    expect(await visitorSees).toMatchObject({ text: 'Yes, here', authorName: 'Alex' });
  });
});

describe('visitor.custom with a __proto__ key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** A valid help request whose visitor.custom holds an own `__proto__` key. */
  const body = (value: string) =>
    valid().replace(/\}$/, `,"visitor":{"custom":{"__proto__":${value},"plan":"gold"}}}`);

  it('never reaches Object.prototype or the stored record', async () => {
    const { status } = await h.requestHelp(body('{"polluted":"1"}'));
    expect(status).toBe(400);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(await h.store.listOpenConversations()).toEqual([]);
  });

  // zod 4's z.record drops `__proto__` keys before the key rule runs; parsePayload refuses them.
  it('is refused with 400 invalid_payload', async () => {
    const { status, json } = await h.requestHelp(body('"x"'));
    expect(status).toBe(400);
    expectError(json, 'invalid_payload');
  });
});
