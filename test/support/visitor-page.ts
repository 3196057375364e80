import type { Page } from 'playwright-core';
import type { VisitorDriver } from './visitor-driver.ts';

/**
 * The visitor presses Help and asks with their first message: a conversation starts with it.
 * Resolves with the dialog.
 */
export async function askForHelp(page: Page, text = 'Hello, I need a hand with this page') {
  await page.getByRole('button', { name: 'Help' }).click();
  const dialog = page.getByRole('dialog', { name: 'Help' });
  const box = dialog.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  return dialog;
}

/** The same, in whichever browser `visitor` drives; resolves once the message is sent. */
export async function askForHelpAs(
  visitor: VisitorDriver,
  text = 'Hello, I need a hand with this page',
  words = { help: 'Help', message: 'Message' },
): Promise<void> {
  await visitor.clickButton(words.help);
  await visitor.fillBox(words.message, text);
  await visitor.press('Enter');
}
