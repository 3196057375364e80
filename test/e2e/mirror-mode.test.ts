import { afterEach, describe, expect, it } from 'vitest';
import { rulesFromEnv } from '../../server/rules-file.ts';
import { signInOnAgentPage } from '../support/agent-page.ts';
import { browserContexts } from '../support/browser-contexts.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { askForHelp } from '../support/visitor-page.ts';

// Mirror mode's recorder on a customer's page (share, masking, next page, point and control,
// rules, "Not now") runs in every visitor browser: visitor-mirror.test.ts. This one takes the
// README's screenshot of the demo.
describe('mirror mode on the demo’s page behind its (demo) sign-in', () => {
  const { newPage } = browserContexts();
  let h: Harness;
  afterEach(() => h?.stop());

  it('shows the signed-in account the helper could not load, with the demo’s rules applied', async () => {
    // The demo's own rules file, as `npm start` reads it.
    h = await startHarness({ rules: rulesFromEnv({}) });
    await h.addHelper('Alex', 'alex-password');
    const alex = await newPage({ width: 1400, height: 1000 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    const visitor = await newPage({ width: 800, height: 800 });
    await visitor.goto(`${h.url}/account.html`);
    await visitor.getByLabel('Email').fill('ann@example.com');
    await visitor.getByLabel('Password').fill('CANARY-demo-password');
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.getByRole('heading', { name: 'Hello, ann@example.com' }).waitFor();
    expect(await visitor.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(false);
    const dialog = await askForHelp(visitor);
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Mirror page' }).click();
    await dialog.getByRole('button', { name: 'Share this page' }).click();

    const replay = alex.frameLocator('iframe').first();
    await replay.getByRole('heading', { name: 'Hello, ann@example.com' }).waitFor();
    // What the visitor sees, not what the helper's own browser would load: the account.
    expect(await replay.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(false);
    expect(await replay.locator('form.help-blocked').count()).toBe(1);
    expect(await replay.locator('.balance').textContent()).toMatch(/^[•\s]+$/);
    // The security answer sits in [data-help-mask]: its label's text and its value stay home.
    expect(await replay.locator('[data-help-mask] input').inputValue()).toBe('•••• (hidden)');
    expect(await replay.locator('[data-help-mask] label').textContent()).not.toContain('Security');
    expect(await replay.locator('body').innerHTML()).not.toContain('CANARY-demo-password');
    // The helper's page names the visitor "Visitor 4821" (a number from their browser's key).
    await alex
      .getByRole('heading', { name: /^Visitor \d+'s page \(mirror\)$/ })
      .scrollIntoViewIfNeeded();
    await alex.screenshot({ path: screenshotPath('mirror-mode.png') });
  });
});

describe('mirror mode where the visitor’s browser cannot record the page', () => {
  const { newPage } = browserContexts();
  let h: Harness;
  afterEach(() => h?.stop());

  it('the helper is told why, and the visitor is never asked to share', async () => {
    h = await startHarness();
    await h.addHelper('Alex', 'alex-password');
    const alex = await newPage({ width: 1400, height: 1000 });
    await signInOnAgentPage(alex, h.url, 'Alex', 'alex-password', { available: true });
    const visitor = await newPage({ width: 800, height: 800 });
    // A browser from before CompressionStream (Safari before 16.4, Firefox before 113).
    await visitor.addInitScript(() => {
      Reflect.deleteProperty(window, 'CompressionStream');
    });
    await visitor.goto(`${h.url}/checkout.html`);
    const dialog = await askForHelp(visitor);
    await dialog.getByText('Alex is here to help.').waitFor();
    await alex.getByRole('button', { name: /Visitor/ }).click();
    await alex.getByRole('button', { name: 'Mirror page' }).click();
    await alex
      .getByText(
        /^Visitor \d+'s browser cannot share the page \(mirror mode needs Chrome 80, Firefox 113, Safari 16\.4 or newer\)\.$/,
      )
      .waitFor();
    // Asking again is offered (the visitor may update their browser meanwhile).
    await alex.getByRole('button', { name: 'Mirror page' }).waitFor();
    // The marker: the helper's next message reaches the dialog after any question would have.
    const box = alex.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('Could you tell me what you see?');
    await box.press('Enter');
    await dialog.getByText('Could you tell me what you see?').waitFor();
    expect(await dialog.getByRole('button', { name: 'Share this page' }).count()).toBe(0);
    const [conversation] = await h.store.listOpenConversations();
    expect(await h.live.getMirror(conversation?.id ?? '')).toEqual([]);
  });
});
