/**
 * Scale-out as people see it, in real Chromium: two server processes on one PostgreSQL and
 * one Redis behind a load balancer (a round-robin TCP proxy in the test). The visitor's page
 * and widget come through the proxy; the helper's agent page is on the other process. The
 * visitor's process is killed with SIGKILL: the widget reconnects through the proxy to the
 * process left, the conversation carries on, and nothing acknowledged is lost. Needs the
 * machine's PostgreSQL and Redis (see services.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { launchChromium } from '../support/browser.ts';
import { startRoundRobinProxy } from '../support/round-robin-proxy.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { askForHelp } from '../support/visitor-page.ts';
import { volunteerWith } from '../support/volunteer-cli.ts';

const { database, redis: redisUrl } = inject('services');
const tag = randomBytes(6).toString('hex');

describe.skipIf(!database || !redisUrl)('two server processes behind a load balancer', () => {
  let browser: Browser;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of processes) server.child.kill('SIGKILL');
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS help_test_${tag} CASCADE`);
    await client.end();
    const redis = new Redis(redisUrl ?? '');
    const keys = await redis.keys(`help-test-${tag}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('the widget reconnects to the other process when its own is killed, and the chat carries on with nothing lost', async () => {
    const proxy = await startRoundRobinProxy(() => processes.map((s) => s.url));
    try {
      const env = {
        HELP_DATABASE_URL: database ?? '',
        HELP_DATABASE_SCHEMA: `help_test_${tag}`,
        HELP_REDIS_URL: redisUrl ?? '',
        HELP_REDIS_PREFIX: `help-test-${tag}:`,
        HELP_PUBLIC_ORIGIN: proxy.url,
      };
      expect((await volunteerWith(env, 'add', 'Alex', '--password', 'alex-password')).code).toBe(0);
      const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
      processes.push(a, b);

      // The helper's agent page, on process B.
      const helper = await (await browser.newContext()).newPage();
      await signInOnAgentPage(helper, b.url, 'Alex', 'alex-password', { available: true });

      // The visitor's page, widget and socket: through the proxy, all to process A for now.
      proxy.pinned = 0;
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(`${proxy.url}/checkout.html`);
      const dialog = await askForHelp(visitor, 'My parcel is late');
      await dialog.getByText('Alex is here to help.').waitFor();
      await helper
        .getByRole('button', { name: /Visitor/ })
        .first()
        .click();
      const helperBox = helper.getByRole('textbox', { name: 'Message' });
      await helperBox.fill('Let me look it up');
      await helperBox.press('Enter');
      await dialog.getByText('Let me look it up').waitFor();
      const box = dialog.getByRole('textbox', { name: 'Message' });
      await box.fill('Order 1234');
      await box.press('Enter');
      await helper.getByText('Order 1234').waitFor();

      // Process A dies. New connections find B: the widget reconnects there on its own.
      a.child.kill('SIGKILL');
      await a.exited;
      await box.fill('Are you still there?');
      await box.press('Enter');
      await helper.getByText('Are you still there?').waitFor({ timeout: 15_000 });
      await helperBox.fill('Yes, from the other process');
      await helperBox.press('Enter');
      await dialog.getByText('Yes, from the other process').waitFor();

      // A reload lands on B too and shows the whole conversation, every message once (the
      // dialog comes back open, as the visitor left it).
      await visitor.reload();
      await dialog.getByText('My parcel is late').waitFor();
      for (const text of [
        'My parcel is late',
        'Let me look it up',
        'Order 1234',
        'Are you still there?',
        'Yes, from the other process',
      ]) {
        await expect.poll(() => dialog.getByText(text, { exact: true }).count()).toBe(1);
      }
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
