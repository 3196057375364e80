import { describe } from 'vitest';
import { browserContexts } from '../support/browser-contexts.ts';
import { VISITOR_BROWSERS, visitorBrowser } from '../support/visitor-browsers.ts';
import { followScenarios } from './visitor-scenarios/follow.ts';
import { followCopyScenarios } from './visitor-scenarios/follow-copy.ts';
import { followFieldsScenarios } from './visitor-scenarios/follow-fields.ts';

// The helper is the agent page in Chromium whichever browser the visitor uses.
describe.each(VISITOR_BROWSERS)('the visitor in %s', (name) => {
  const browser = visitorBrowser(name);
  const helpers = browserContexts();
  followScenarios(browser, helpers);
  followFieldsScenarios(browser, helpers);
  followCopyScenarios(browser, helpers);
});
