/**
 * Once per end-to-end run: is Firefox there? Where it is missing, one line says the Firefox
 * runs of the visitor scenarios are skipped; with `HELP_REQUIRE_FIREFOX=1` (`.ci/run`) the
 * run fails instead. Tests read the answer with `inject('firefox')`.
 */
import type { TestProject } from 'vitest/node';
import { firefoxInstalled, firefoxPath } from './firefox.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    firefox: boolean;
  }
}

export default function setup(project: TestProject): void {
  const installed = firefoxInstalled();
  if (!installed) {
    const why = `no Firefox at ${firefoxPath} (install firefox-esr or set FIREFOX_PATH)`;
    if (process.env.HELP_REQUIRE_FIREFOX === '1') {
      throw new Error(`the Firefox end-to-end runs: ${why}, and HELP_REQUIRE_FIREFOX=1 needs them`);
    }
    console.log(`skipping the Firefox runs of the visitor scenarios: ${why}`);
  }
  project.provide('firefox', installed);
}
