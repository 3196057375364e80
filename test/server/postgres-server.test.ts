/**
 * The server on PostgreSQL (`HELP_DATABASE_URL`), as an operator runs it: the real `volunteer`
 * command adds a helper to the database, the real server process signs them in, and every
 * acknowledged message outlives SIGKILL. Needs the machine's PostgreSQL (see services.ts).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { configFromEnv } from '../../server/config.ts';
import { newId } from '../../server/desk/secrets.ts';
import { connected, helperAt, requestHelpAt, visitorAt } from '../support/process-clients.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { volunteerWith } from '../support/volunteer-cli.ts';

const database = inject('services').database;
const schema = `help_test_${randomBytes(8).toString('hex')}`;
const env: Record<string, string> = database
  ? { HELP_DATABASE_URL: database, HELP_DATABASE_SCHEMA: schema }
  : {};

describe.skipIf(!database)('the server on PostgreSQL', () => {
  let server: ServerProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGKILL');
    server = undefined;
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('adds a helper with `npm run volunteer`, signs them in, and keeps every acked message through SIGKILL', async () => {
    const added = await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password');
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('Added helper "Alex"') });
    expect((await volunteerWith(env, 'add', 'alex')).code).toBe(1);

    server = await startServerProcess(env);
    const started = server;
    await expect
      .poll(() => started.output())
      .toContain(`PostgreSQL 127.0.0.1:5432/test, schema ${schema}`);
    const alex = await connected(await helperAt(server.url, 'Alex', 'alex-password'));
    alex.disconnect();
    const { conversationId, visitorToken } = await requestHelpAt(server.url);
    const connect = (url: string) => connected(visitorAt(url, visitorToken));
    const visitor = await connect(server.url);
    const sent = Array.from({ length: 15 }, (_, i) => ({ id: newId(), text: `message ${i}` }));
    // A resend of the first, at the same time: stored once.
    const answers = await Promise.all(
      sent
        .concat(sent.slice(0, 1))
        .map((message) => visitor.emitWithAck('chat:send', { conversationId, ...message })),
    );
    expect(answers.every((answer) => answer.ok)).toBe(true);
    server.child.kill('SIGKILL');
    await server.exited;
    visitor.disconnect();

    server = await startServerProcess(env);
    const back = await connect(server.url);
    const history = await back.emitWithAck('chat:history', { conversationId });
    back.disconnect();
    const stored = history.ok ? history.data.messages : [];
    expect(stored.map((m) => m.id).sort()).toEqual(sent.map((m) => m.id).sort());
    expect(stored.map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1));
    expect((await volunteerWith(env, 'list')).out).toContain('Alex');
  }, 60_000);
});

describe('choosing the store', () => {
  it('stays embedded without HELP_DATABASE_URL, and refuses a setting it cannot use, saying why', async () => {
    expect(configFromEnv({}).config.database).toBeUndefined();
    expect(
      configFromEnv({ HELP_DATABASE_URL: 'postgres://help@db/help', HELP_DATABASE_SCHEMA: 'help' })
        .config.database,
    ).toEqual({ url: 'postgres://help@db/help', schema: 'help' });
    expect(() => configFromEnv({ HELP_DATABASE_URL: 'mysql://db/help' })).toThrow(
      /HELP_DATABASE_URL must be a postgres:\/\/ URL/,
    );
    expect(() =>
      configFromEnv({ HELP_DATABASE_URL: 'postgres://db/help', HELP_DATABASE_SCHEMA: 'a; drop' }),
    ).toThrow(/HELP_DATABASE_SCHEMA must be/);
    expect(configFromEnv({ HELP_REDIS_URL: 'redis://127.0.0.1:6379' }).config.redis).toEqual({
      url: 'redis://127.0.0.1:6379',
    });
    expect(() => configFromEnv({ HELP_REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      /HELP_REDIS_URL must be a redis:\/\/ URL/,
    );
    expect(() =>
      configFromEnv({ HELP_REDIS_URL: 'redis://r', HELP_REDIS_PREFIX: 'has space' }),
    ).toThrow(/HELP_REDIS_PREFIX must be/);
    // start:cluster refuses to start processes that would not share anything, or a bad count.
    const cluster = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start-cluster.ts', ...args], {
        cwd: resolve(import.meta.dirname, '../..'),
        env: { ...process.env, HELP_DATABASE_URL: '', HELP_REDIS_URL: '', ...env },
        encoding: 'utf8',
      });
    const unshared = cluster(['--processes', '2']);
    expect(unshared.status).toBe(2);
    expect(unshared.stderr).toMatch(/needs HELP_DATABASE_URL and HELP_REDIS_URL/);
    const zero = cluster(['--processes', '0'], {
      HELP_DATABASE_URL: 'postgres://db/help',
      HELP_REDIS_URL: 'redis://r',
    });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/--processes must be a whole number from 1 to 16/);
    // A database that does not answer stops the start, naming it.
    const server = startServerProcess({ HELP_DATABASE_URL: 'postgres://help@127.0.0.1:1/help' });
    await expect(server).rejects.toThrow(/PostgreSQL at 127\.0\.0\.1:1\/help: .*ECONNREFUSED/);
  });
});
