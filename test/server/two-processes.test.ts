/**
 * Two server processes on one PostgreSQL and one Redis, as behind a load balancer: the
 * visitor is connected to one, the helper to the other. Needs the machine's PostgreSQL and
 * Redis (see services.ts): skipped without them, and `.ci/run` fails instead.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../server/desk/secrets.ts';
import {
  type AgentClient,
  helpRequestBody,
  nextEvent,
  type VisitorClient,
} from '../support/server-harness.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { testDatabase, testRedis } from '../support/services.ts';
import { volunteerWith } from '../support/volunteer-cli.ts';

const database = await testDatabase('the two-process suite');
const redisUrl = database ? await testRedis('the two-process suite') : undefined;
const tag = randomBytes(6).toString('hex');
const env: Record<string, string> =
  database && redisUrl
    ? {
        HELP_DATABASE_URL: database,
        HELP_DATABASE_SCHEMA: `help_test_${tag}`,
        HELP_REDIS_URL: redisUrl,
        HELP_REDIS_PREFIX: `help-test-${tag}:`,
      }
    : {};

async function connect<S extends Socket>(socket: S): Promise<S> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

describe.skipIf(!database || !redisUrl)('two server processes on PostgreSQL and Redis', () => {
  const servers: ServerProcess[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const server of servers.splice(0)) server.child.kill('SIGKILL');
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS help_test_${tag} CASCADE`);
    await client.end();
    const redis = new Redis(redisUrl ?? '');
    const keys = await redis.keys(`help-test-${tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  async function twoServers(): Promise<[ServerProcess, ServerProcess]> {
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    servers.push(a, b);
    return [a, b];
  }

  async function helperOn(server: ServerProcess, name: string, password: string) {
    const signIn = await fetch(`${server.url}/api/agent/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ name, password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const agent: AgentClient = io(`${server.url}/agent`, {
      forceNew: true,
      extraHeaders: { origin: server.url, cookie },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(agent);
    return connect(agent);
  }

  async function visitorOn(server: ServerProcess) {
    const created = await fetch(`${server.url}/api/help-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(helpRequestBody()),
    });
    expect(created.status).toBe(201);
    const { conversationId, visitorToken } = (await created.json()) as {
      conversationId: string;
      visitorToken: string;
    };
    const visitor: VisitorClient = io(`${server.url}/visitor`, {
      forceNew: true,
      auth: { token: visitorToken },
      extraHeaders: { origin: server.url },
      transports: ['websocket'],
      reconnection: false,
    });
    sockets.push(visitor);
    return { conversationId, visitor: await connect(visitor) };
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
});
