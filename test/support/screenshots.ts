import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The one place that decides where end-to-end tests write screenshots. `npm test` must leave
 * the working tree clean, so by default they go to a folder under the system's temporary
 * directory (overwritten by each run, there to look at). `npm run screenshots` sets
 * `HELP_SCREENSHOTS_DIR=docs/screenshots` to refresh the README's pictures on purpose; a
 * relative folder is taken from the project root.
 */
const root = resolve(import.meta.dirname, '../..');
const chosen = process.env.HELP_SCREENSHOTS_DIR;
export const screenshotsDir = chosen
  ? resolve(root, chosen)
  : join(tmpdir(), 'help-widget-screenshots');

/** The path for a screenshot named `file` (e.g. `agent-page.png`); its folder exists. */
export function screenshotPath(file: string): string {
  mkdirSync(screenshotsDir, { recursive: true });
  return join(screenshotsDir, file);
}
