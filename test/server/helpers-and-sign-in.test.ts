import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { startServerProcess } from '../support/server-process.ts';
import { volunteer } from '../support/volunteer-cli.ts';

describe('helper accounts and sign-in', () => {
  let h: Harness | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await h?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    h = dataDir = undefined;
  });

  it('prints how to create a helper on first start, and `volunteer add` makes one that can sign in', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'help-cli-'));
    const first = await startServerProcess({ HELP_DATA_DIR: dataDir });
    await new Promise((done) => setTimeout(done, 200));
    first.child.kill('SIGTERM');
    await first.exited;
    expect(first.output()).toContain('npm run volunteer -- add YOUR_NAME');

    const added = await volunteer(dataDir, 'add', 'Alex');
    expect(added.code).toBe(0);
    const password = /Password: (\S+)/.exec(added.out)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await volunteer(dataDir, 'add', 'alex')).out).toContain('already exists');
    expect((await volunteer(dataDir, 'add', 'Sam', '--password', 'sam-secret-1')).code).toBe(0);
    expect((await volunteer(dataDir, 'list')).out).toMatch(/Alex[\s\S]*Sam/);

    // The running server sees accounts the command adds or removes.
    h = await startHarness({}, dataDir);
    expect(await h.signIn('Alex', password)).toMatch(/^help_agent_session=/);
    expect(await h.signIn('sam', 'sam-secret-1')).toMatch(/^help_agent_session=/);
    expect((await volunteer(dataDir, 'remove', 'Sam')).code).toBe(0);
    await expect(h.signIn('Sam', 'sam-secret-1')).rejects.toThrow('401');
    expect((await volunteer(dataDir, 'remove', 'Nobody')).code).toBe(1);
  }, 60_000); // Seven processes start here, each loading TypeScript.

  it('sets an httpOnly SameSite=Strict cookie, knows who is signed in, and signing out closes the agent socket', async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    const response = await fetch(`${h.url}/api/agent/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.origin },
      body: JSON.stringify({ name: 'Alex', password: 'alex-password' }),
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await fetch(`${h.url}/api/agent/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ helper: { name: 'Alex' } });

    const agent = await h.agentWithCookie(cookie);
    const other = await h.agent('Alex', 'alex-password');
    const dropped = new Promise<string>((done) => agent.once('disconnect', done));
    const out = await fetch(`${h.url}/api/agent/session`, {
      method: 'DELETE',
      headers: { cookie, origin: h.origin },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/help_agent_session=;/);
    // The server ends that session's socket at once; the other session is untouched.
    expect(await dropped).toBe('io server disconnect');
    const after = await fetch(`${h.url}/api/agent/session`, { headers: { cookie } });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ helper: null });
    const status = await other.emitWithAck('helper:availability', { availability: 'away' });
    expect(status.ok).toBe(true);
  });

  it('refuses the agent namespace without a session', async () => {
    h = await startHarness();
    const socket = io(`${h.url}/agent`, {
      extraHeaders: { origin: h.origin },
      transports: ['websocket'],
      reconnection: false,
    });
    const error = await new Promise<Error>((done) => socket.once('connect_error', done));
    socket.disconnect();
    expect(error.message).toContain('sign in');
  });

  it('refuses sign-in from another origin', async () => {
    h = await startHarness({ allowedOrigins: ['https://shop.example'] });
    await h.addHelper('Alex', 'alex-password');
    const response = await fetch(`${h.url}/api/agent/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
      body: JSON.stringify({ name: 'Alex', password: 'alex-password' }),
    });
    expect(response.status).toBe(403);
  });
});
