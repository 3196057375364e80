import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs a helper in on the agent page as a person does; optionally as Available. */
export async function signInOnAgentPage(
  page: Page,
  serverUrl: string,
  name: string,
  password: string,
  options: { available?: boolean } = {},
): Promise<void> {
  await page.goto(`${serverUrl}/agent/`);
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('radio', { name: options.available ? /^Available/ : /^Away/ }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${name}`).waitFor();
  if (!options.available) return;
  const available = page.getByRole('switch', { name: 'Available' });
  await expect.poll(() => available.getAttribute('aria-checked')).toBe('true');
}

/**
 * The helper's copy of the visitor's page: the agent page's frame on the visitor site's origin
 * (a test may add a frame of another origin beside it).
 */
export function followCopyFrame(agentPage: Page, siteUrl: string): Frame {
  const frame = agentPage
    .frames()
    .find((f) => f.parentFrame() === agentPage.mainFrame() && f.url().startsWith(siteUrl));
  if (!frame) throw new Error('no follow frame');
  return frame;
}
