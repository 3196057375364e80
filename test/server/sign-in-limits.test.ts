/**
 * Sign-in under attack: every password check is paid for before it starts, a name tried from
 * one address backs off, and the real helper from their own address is never held up by
 * someone else's guesses. Addresses other than 127.0.0.1 come through a trusted proxy hop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../server/config.ts';
import type { SignInLimits } from '../../server/sign-in-guard.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';

const limits = (backoff: Partial<SignInLimits['backoff']> = {}): SignInLimits => ({
  perIp: { burst: 10, perSecond: 10 / 900 },
  backoff: {
    freeFailures: 3,
    baseMs: 60_000,
    maxMs: 15 * 60_000,
    holdMs: 30_000,
    forgetMs: 3600_000,
    ...backoff,
  },
});

describe('sign-in limits', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const attempt = (name: string, password: string, from?: string) =>
    fetch(`${h?.url}/api/agent/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: h?.origin ?? '',
        ...(from ? { 'x-forwarded-for': from } : {}),
      },
      body: JSON.stringify({ name, password }),
    });
  const statuses = async (responses: Promise<Response>[]) =>
    (await Promise.all(responses)).map((r) => r.status);
  const count = (list: number[], status: number) => list.filter((s) => s === status).length;

  it('200 concurrent guesses at one name check at most 4 passwords (10 allowed), and then the right one does not get in', async () => {
    h = await startHarness({ signIn: limits() });
    await h.addHelper('Alex', 'alex-password');
    const answers = await statuses(
      Array.from({ length: 200 }, (_, i) => attempt('Alex', `guess-${i}`)),
    );
    const checked = count(answers, 401);
    // One name from one address has one check at a time, and after the three free mistakes
    // it backs off: however the 200 arrive, no more than four are checked.
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(4);
    expect(count(answers, 429)).toBe(200 - checked);
    // (The right password is not among them: how many get checked depends on how the 200
    // happen to arrive, and a right one checked early would rightly get in.) The rest of the
    // four mistakes, one at a time, and the name backs off: now even the right one is refused.
    for (let i = checked; i < 4; i++) {
      expect((await attempt('Alex', `late-guess-${i}`)).status).toBe(401);
    }
    expect((await attempt('Alex', 'alex-password')).status).toBe(429);
  });

  it('200 concurrent guesses at 200 names from one address check at most 10 passwords', async () => {
    h = await startHarness({ signIn: limits() });
    const answers = await statuses(
      Array.from({ length: 200 }, (_, i) => attempt(`name-${i}`, 'guess')),
    );
    expect(count(answers, 401)).toBe(10);
    expect(count(answers, 429)).toBe(190);
  });

  it('three mistakes are free; the fourth makes that name wait, from that address only', async () => {
    h = await startHarness({ signIn: limits(), trustProxy: ['loopback'] });
    await h.addHelper('Alex', 'alex-password');
    const attacker = '203.0.113.5';
    for (let i = 0; i < 3; i++)
      expect((await attempt('Alex', `guess-${i}`, attacker)).status).toBe(401);
    expect((await attempt('Alex', 'guess-3', attacker)).status).toBe(401);
    // Backing off now: even the right password from the attacker's address waits a minute.
    const refused = await attempt('Alex', 'alex-password', attacker);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({
      error: { code: 'rate_limited', message: 'too many sign-ins; try again in 60 s' },
    });
    // The real helper, from their own address, gets in at once.
    expect((await attempt('alex', 'alex-password', '198.51.100.7')).status).toBe(200);
  });

  it('the wait doubles with each further mistake (1, 2, 4 min), and a success forgets them', async () => {
    let now = Date.now();
    h = await startHarness({ signIn: limits() }, undefined, () => now);
    await h.addHelper('Alex', 'alex-password');
    const retryAfter = async () => {
      const refused = await attempt('Alex', 'alex-password');
      expect(refused.status).toBe(429);
      return Number(refused.headers.get('retry-after'));
    };
    for (let i = 0; i < 4; i++) expect((await attempt('Alex', 'nope')).status).toBe(401);
    const waits = [await retryAfter()];
    for (const _ of [1, 2]) {
      now += waits.at(-1)! * 1000;
      expect((await attempt('Alex', 'nope')).status).toBe(401);
      waits.push(await retryAfter());
    }
    expect(waits).toEqual([60, 120, 240]);
    now += 240_000;
    expect((await attempt('Alex', 'alex-password')).status).toBe(200);
    // Forgotten: three free mistakes again.
    for (let i = 0; i < 3; i++) expect((await attempt('Alex', 'nope')).status).toBe(401);
    expect((await attempt('Alex', 'alex-password')).status).toBe(200);
  });

  it('a sign-in that works costs the address nothing: a team behind one address signs in all day', async () => {
    h = await startHarness({ signIn: limits() });
    await h.addHelper('Alex', 'alex-password');
    const answers: number[] = [];
    for (let i = 0; i < 25; i++) answers.push((await attempt('Alex', 'alex-password')).status);
    expect(answers).toEqual(Array(25).fill(200));
  });
});

describe('HELP_TRUST_PROXY', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('takes a hop count or proxy addresses, and refuses to trust everyone', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8, ::1')).toEqual(['loopback', '10.0.0.0/8', '::1']);
    for (const bad of ['true', '*', '10.0.0.0/8x', 'proxy.example', '1.2.3.4/200']) {
      expect(() => parseTrustProxy(bad), bad).toThrow(/HELP_TRUST_PROXY/);
    }
  });

  it('with one proxy in front, an address the client wrote itself does not escape the per-IP limit (10/40, not 40/40)', async () => {
    h = await startHarness({ trustProxy: 1, helpRequestRate: { burst: 10, perSecond: 0.001 } });
    const accepted = [];
    for (let i = 0; i < 40; i++) {
      // What the client sent, then what our proxy appended: the client's real address.
      const spoofed = { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.7` };
      accepted.push((await h.requestHelp(undefined, spoofed)).status === 201);
    }
    expect(accepted.filter(Boolean).length).toBe(10);
  });

  it('without a trusted proxy, X-Forwarded-For is ignored', async () => {
    h = await startHarness({ helpRequestRate: { burst: 3, perSecond: 0.001 } });
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push((await h.requestHelp(undefined, { 'x-forwarded-for': `192.0.2.${i}` })).status);
    }
    expect(answers).toEqual([201, 201, 201, 429, 429, 429]);
  });
});
