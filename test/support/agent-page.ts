import type { Page } from 'playwright-core';
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
