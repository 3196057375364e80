import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';

describe('one server: demo site, widget and agent page', () => {
  let browser: Browser;
  let h: Harness;
  beforeAll(async () => {
    [browser, h] = await Promise.all([launchChromium(), startHarness()]);
    await h.addHelper('Alex', 'alex-password');
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('serves the demo site with the widget button, without console errors', async () => {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`${h.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Acme Outdoor',
    );
    await page.getByRole('button', { name: 'Help' }).waitFor();
    await page.goto(`${h.url}/checkout.html`);
    await page.getByRole('button', { name: 'Help' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets a helper sign in, keeps them signed in across a reload, and signs them out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${h.url}/agent/`);
    await page.getByRole('textbox', { name: 'Name' }).fill('Alex');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Wrong name or password$/ })
      .waitFor();

    await page.getByLabel('Password').fill('alex-password');
    await page.getByRole('button', { name: 'Sign in' }).press('Enter');
    await page.getByText('Signed in as Alex').waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'help_agent_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.reload();
    await page.getByText('Signed in as Alex').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The 401 of the wrong password is the only error the console may show.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });

  it('asks at sign-in whether to take chats, says so on the desk, and remembers the choice', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.url}/agent/`);
    const availableChoice = page.getByRole('radio', { name: /^Available/ });
    const awayChoice = page.getByRole('radio', { name: /^Away/ });
    // Nobody is handed chats they did not ask for: Away is chosen until the helper picks.
    expect(await awayChoice.isChecked()).toBe(true);
    const switchNow = () =>
      page.getByRole('switch', { name: 'Available' }).getAttribute('aria-checked');

    await page.getByRole('textbox', { name: 'Name' }).fill('Alex');
    await page.getByLabel('Password').fill('alex-password');
    await availableChoice.check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(switchNow).toBe('true');
    await page.getByText('Taking new chats').waitFor();

    // Next time, this browser offers what was chosen last.
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await availableChoice.isChecked()).toBe(true);
    await page.getByRole('textbox', { name: 'Name' }).fill('Alex');
    await page.getByLabel('Password').fill('alex-password');
    await awayChoice.check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(switchNow).toBe('false');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await awayChoice.isChecked()).toBe(true);
    await context.close();
  });
});
