/**
 * Two server processes on one PostgreSQL and one Redis, as behind a load balancer: the
 * visitor is connected to one, the helper to the other. Needs the machine's PostgreSQL and
 * Redis (see services.ts): skipped without them, and `.ci/run` fails instead.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/desk/secrets.ts';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import { connected, helperAt, requestHelpAt, visitorAt } from '../support/process-clients.ts';
import { startRoundRobinProxy } from '../support/round-robin-proxy.ts';
import { type FollowClient, nextEvent } from '../support/server-harness.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { volunteerWith } from '../support/volunteer-cli.ts';

const { database, redis: redisUrl } = inject('services');
const available = Boolean(database && redisUrl);
const tags: string[] = [];

/** Each test its own schema and Redis keys: nothing one leaves open reaches the next. */
function freshEnv(): Record<string, string> {
  const tag = randomBytes(6).toString('hex');
  tags.push(tag);
  return {
    HELP_DATABASE_URL: database ?? '',
    HELP_DATABASE_SCHEMA: `help_test_${tag}`,
    HELP_REDIS_URL: redisUrl ?? '',
    HELP_REDIS_PREFIX: `help-test-${tag}:`,
    // A helper whose process dies is requeued a second after their lease (a second) ends.
    HELP_GRACE_SECONDS: '1',
  };
}

describe.skipIf(!available)('two server processes on PostgreSQL and Redis', () => {
  const processes: ServerProcess[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const server of processes.splice(0)) server.child.kill('SIGKILL');
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: database });
    const redis = new Redis(redisUrl ?? '');
    await client.connect();
    for (const tag of tags) {
      await client.query(`DROP SCHEMA IF EXISTS help_test_${tag} CASCADE`);
      const keys = await redis.keys(`help-test-${tag}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await client.end();
    redis.disconnect();
  });

  let env: Record<string, string> = {};
  beforeEach(() => {
    env = freshEnv();
  });

  async function twoServers(
    more: Record<string, string> = {},
  ): Promise<[ServerProcess, ServerProcess]> {
    const both = { ...env, ...more };
    const [a, b] = await Promise.all([startServerProcess(both), startServerProcess(both)]);
    processes.push(a, b);
    return [a, b];
  }

  /** Opened sockets are closed after each test. */
  function kept<S extends Socket>(socket: S): Promise<S> {
    sockets.push(socket);
    return connected(socket);
  }

  async function helperOn(server: ServerProcess, name: string, password: string, origin?: string) {
    return kept(await helperAt(server.url, name, password, origin));
  }

  async function visitorOn(server: ServerProcess) {
    const { conversationId, visitorToken } = await requestHelpAt(server.url);
    return { conversationId, visitor: await kept(visitorAt(server.url, visitorToken)) };
  }

  it('assigns, carries chat and typing both ways, and read marks, between the processes', async () => {
    expect((await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password')).code).toBe(0);
    const [a, b] = await twoServers();
    const agent = await helperOn(b, 'Alex', 'alex-password');
    expect(
      await agent.emitWithAck('helper:availability', { availability: 'available', capacity: 2 }),
    ).toMatchObject({ ok: true });

    const assigned = nextEvent(agent, 'conversation:updated', (c) => c.status === 'assigned');
    const { conversationId, visitor } = await visitorOn(a);
    expect((await assigned).id).toBe(conversationId);

    const typing = nextEvent(agent, 'chat:typing');
    await visitor.emitWithAck('chat:typing', { conversationId, typing: true });
    expect(await typing).toMatchObject({ from: 'visitor', typing: true });

    const helperSees = nextEvent(agent, 'chat:message');
    const sent = await visitor.emitWithAck('chat:send', {
      conversationId,
      id: newId(),
      text: 'Sent to process A',
    });
    expect(sent).toMatchObject({ ok: true, data: { seq: 1 } });
    expect(await helperSees).toMatchObject({ text: 'Sent to process A' });

    const visitorSees = nextEvent(visitor, 'chat:message', (m) => m.from === 'helper');
    await agent.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Answered on B' });
    expect(await visitorSees).toMatchObject({ text: 'Answered on B', authorName: 'Alex', seq: 2 });

    const readSeen = nextEvent(visitor, 'chat:read');
    const upTo = sent.ok ? sent.data.id : '';
    expect(await agent.emitWithAck('chat:read', { conversationId, upTo })).toMatchObject({
      ok: true,
    });
    expect(await readSeen).toMatchObject({ by: 'helper', upTo });
  }, 60_000);

  it('when the helper’s process is killed, the other process requeues their conversation after the grace period', async () => {
    expect((await volunteerWith(env, 'add', 'Sam', '--password', 'sam-password')).code).toBe(0);
    expect((await volunteerWith(env, 'add', 'Kim', '--password', 'kim-password')).code).toBe(0);
    const [a, b] = await twoServers();
    const kim = await helperOn(b, 'Kim', 'kim-password');
    await kim.emitWithAck('helper:availability', { availability: 'available', capacity: 1 });
    const assigned = nextEvent(kim, 'conversation:updated', (c) => c.status === 'assigned');
    const { conversationId, visitor } = await visitorOn(a);
    expect((await assigned).id).toBe(conversationId);

    // Sam, on process A, is available but full-free: he gets it once Kim's is requeued.
    const sam = await helperOn(a, 'Sam', 'sam-password');
    await sam.emitWithAck('helper:availability', { availability: 'available', capacity: 1 });
    const toSam = nextEvent(
      sam,
      'conversation:updated',
      (c) => c.id === conversationId && c.status === 'assigned' && c.helperName === 'Sam',
      15_000,
    );
    b.child.kill('SIGKILL');
    await b.exited;
    expect(await toSam).toMatchObject({ helperName: 'Sam' });
    const answered = nextEvent(visitor, 'chat:message', (m) => m.from === 'helper');
    await sam.emitWithAck('chat:send', { conversationId, id: newId(), text: 'Sam here' });
    expect(await answered).toMatchObject({ authorName: 'Sam' });
  }, 60_000);

  it('follows the page, mirrors it and passes control with the visitor on one process and the helper on the other', async () => {
    expect((await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password')).code).toBe(0);
    const [a, b] = await twoServers();
    const alex = await helperOn(b, 'Alex', 'alex-password');
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    const assigned = nextEvent(alex, 'conversation:updated', (c) => c.status === 'assigned');
    const { conversationId, visitor } = await visitorOn(a);
    await assigned;

    // Follow mode: the grant is made on B, the copy's connection lands on A.
    const told = nextEvent(visitor, 'cobrowse:status', (s) => s.active);
    const grant = await alex.emitWithAck('cobrowse:start', { conversationId });
    if (!grant.ok) throw new Error(grant.error.message);
    await told;
    const copy: FollowClient = io(`${a.url}/follow`, {
      forceNew: true,
      auth: { token: grant.data.token },
      extraHeaders: { origin: a.url },
      transports: ['websocket'],
      reconnection: false,
    });
    const state = nextEvent(copy, 'cobrowse:state');
    await kept(copy);
    await state;
    const relayed = nextEvent(copy, 'cobrowse:change', (c) => c.key === 'page');
    await visitor.emitWithAck('cobrowse:change', {
      conversationId,
      type: 'navigate',
      key: 'page',
      value: { url: 'https://shop.example/cart', title: 'Cart' },
    });
    expect(await relayed).toMatchObject({ value: { url: 'https://shop.example/cart' } });

    // Control, asked on B, allowed on A.
    const granted = nextEvent(alex, 'control:status', (s) => s.state === 'granted');
    await alex.emitWithAck('control:request', { conversationId });
    await visitor.emitWithAck('control:answer', { conversationId, allow: true });
    expect(await granted).toMatchObject({ conversationId, state: 'granted' });

    // Mirror mode: asked on B, shared on A, pieces relayed to B and kept for a late replay.
    const asked = nextEvent(visitor, 'mirror:status', (s) => s.state === 'requested');
    await alex.emitWithAck('mirror:request', { conversationId });
    const mirrorId = (await asked).mirrorId ?? '';
    const sharing = nextEvent(alex, 'mirror:status', (s) => s.state === 'sharing');
    await visitor.emitWithAck('mirror:answer', { conversationId, allow: true });
    await sharing;
    const piece = nextEvent(alex, 'mirror:data');
    const sent = await visitor.emitWithAck('mirror:data', {
      conversationId,
      mirrorId,
      batch: 0,
      full: true,
      part: 0,
      parts: 1,
      data: new Uint8Array([4, 2]),
    });
    expect(sent).toEqual({ ok: true, data: { snapshot: false } });
    expect([...new Uint8Array((await piece).data)]).toEqual([4, 2]);
    const opened = await alex.emitWithAck('mirror:open', { conversationId });
    expect(opened.ok && opened.data.parts.map((p) => [...new Uint8Array(p.data)])).toEqual([
      [4, 2],
    ]);
  }, 60_000);

  it('when the visitor’s process is killed, the visitor reconnects through the load balancer to the other and loses no acked message', async () => {
    expect((await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password')).code).toBe(0);
    const servers: ServerProcess[] = [];
    const proxy = await startRoundRobinProxy(() => servers.map((s) => s.url));
    try {
      // Both behind the proxy's address, as behind a load balancer with a domain name.
      const behind = { ...env, HELP_PUBLIC_ORIGIN: proxy.url };
      const [a, b] = await Promise.all([startServerProcess(behind), startServerProcess(behind)]);
      servers.push(a, b);
      processes.push(a, b);
      const alex = await helperOn(b, 'Alex', 'alex-password', proxy.url);
      await alex.emitWithAck('helper:availability', { availability: 'available' });
      const { conversationId, visitorToken } = await requestHelpAt(a.url, proxy.url);

      proxy.next = 0; // The visitor's connection lands on A.
      const visitor = await kept(
        visitorAt(proxy.url, visitorToken, { origin: proxy.url, reconnect: true }),
      );
      const send = (text: string) =>
        visitor.timeout(10_000).emitWithAck('chat:send', { conversationId, id: newId(), text });
      const before = await Promise.all(Array.from({ length: 10 }, (_, i) => send(`before ${i}`)));
      expect(before.every((answer) => answer.ok)).toBe(true);

      const reconnected = new Promise((resolve) => visitor.io.once('reconnect', resolve));
      a.child.kill('SIGKILL');
      await a.exited;
      await reconnected;
      const helperSees = nextEvent(alex, 'chat:message', (m) => m.text === 'after 4', 10_000);
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => send(`after ${i}`)));
      expect(after.every((answer) => answer.ok)).toBe(true);
      await helperSees;

      const history = await visitor.emitWithAck('chat:history', { conversationId });
      const stored = history.ok ? history.data.messages : [];
      const acked = [...before, ...after].flatMap((answer) => (answer.ok ? [answer.data.id] : []));
      expect(stored.map((m) => m.id).sort()).toEqual(acked.sort());
      expect(stored.map((m) => m.seq)).toEqual(acked.map((_, i) => i + 1));
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('when the visitor’s process dies and they do not come back, the other process counts them as gone once their lease runs out', async () => {
    expect((await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password')).code).toBe(0);
    // The visitor's lease: half of "gone after" (1 s here, the shortest).
    const [a, b] = await twoServers({ HELP_VISITOR_GONE_SECONDS: '2' });
    const alex = await helperOn(b, 'Alex', 'alex-password');
    await alex.emitWithAck('helper:availability', { availability: 'available' });
    const assigned = nextEvent(alex, 'conversation:updated', (c) => c.status === 'assigned');
    const { conversationId } = await visitorOn(a);
    expect((await assigned).presence).toBe('online');
    const left = nextEvent(
      alex,
      'conversation:updated',
      (c) => c.id === conversationId && c.presence !== undefined && c.presence !== 'online',
      15_000,
    );
    // No goodbye reaches anyone: the process and the visitor's connection end together.
    // Killed once the visitor's connection is stored: a kill before that would leave them
    // never counted as here at all.
    const store = await PostgresStore.open({
      url: env.HELP_DATABASE_URL ?? '',
      schema: env.HELP_DATABASE_SCHEMA ?? '',
    });
    await expect
      .poll(async () => (await store.getConversation(conversationId))?.presence?.connected)
      .toBe(true);
    await store.close();
    a.child.kill('SIGKILL');
    await a.exited;
    // Away first; gone once "gone after" has passed, as after any goodbye.
    expect(['away', 'gone']).toContain((await left).presence);
  }, 60_000);

  it('`npm run start:cluster -- --processes 2` starts two processes on consecutive ports, and stops both', async () => {
    const port = await freePortPair();
    const cluster = spawn('npm', ['run', '--silent', 'start:cluster', '--', '--processes', '2'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal's foreground job: Ctrl-C reaches every process.
      detached: true,
    });
    let output = '';
    cluster.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((done) => cluster.once('exit', done));
    try {
      await expect
        .poll(() => output, { timeout: 30_000 })
        .toMatch(
          new RegExp(
            `\\[1\\] help-widget server on http://localhost:${port}[\\s\\S]*\\[2\\] help-widget|\\[2\\] help-widget[\\s\\S]*\\[1\\] help-widget`,
          ),
        );
      for (const at of [port, port + 1]) {
        const health = await fetch(`http://127.0.0.1:${at}/api/health`);
        expect(health.status).toBe(200);
      }
    } finally {
      process.kill(-(cluster.pid ?? 0), 'SIGINT');
      await exited;
    }
    await expect
      .poll(() =>
        fetch(`http://127.0.0.1:${port + 1}/api/health`).then(
          () => 'up',
          () => 'down',
        ),
      )
      .toBe('down');
    expect(await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => 'down')).toBe('down');
  }, 60_000);
});

/** Two free ports one after the other (asked of the system, then released). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const first = createNetServer();
    await new Promise<void>((done) => first.listen(0, '127.0.0.1', done));
    const port = (first.address() as AddressInfo).port;
    const second = createNetServer();
    const free = await new Promise<boolean>((done) => {
      second.once('error', () => done(false));
      second.listen(port + 1, '127.0.0.1', () => done(true));
    });
    await new Promise((done) => first.close(done));
    if (free) {
      await new Promise((done) => second.close(done));
      return port;
    }
  }
}
