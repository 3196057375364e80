import { describe } from 'vitest';
import { browserContexts } from '../support/browser-contexts.ts';
import { VISITOR_BROWSERS, visitorBrowser } from '../support/visitor-browsers.ts';
import { mirrorScenarios } from './visitor-scenarios/mirror.ts';

// The helper, whose replay shows the page, is the agent page in Chromium whichever browser
// the visitor records with.
describe.each(VISITOR_BROWSERS)('the visitor in %s', (name) => {
  const browser = visitorBrowser(name);
  const helpers = browserContexts();
  mirrorScenarios(browser, helpers);
});
