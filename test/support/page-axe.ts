/** axe in a page a playwright-core test drives: injected from axe-core's own source. */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import type { VisitorDriver } from './visitor-driver.ts';

/** Readable violations of the whole page, shadow roots included. */
export async function pageAxeViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugging protocol, which a page's CSP does not govern: a
  // <script> tag would be refused by the agent page's policy (no inline script).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const found = (window as unknown as { axe: typeof axe }).axe;
    const result = await found.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  });
}

/** The same for the visitor's page, in whichever browser drives it. */
export async function visitorAxeViolations(visitor: VisitorDriver): Promise<string[]> {
  if (!(await visitor.evaluate(() => 'axe' in window))) await visitor.runScript(axe.source);
  return visitor.evaluate(async () => {
    const found = (window as unknown as { axe: typeof axe }).axe;
    const result = await found.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  });
}
