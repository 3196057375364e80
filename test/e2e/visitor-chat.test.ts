import { describe } from 'vitest';
import { VISITOR_BROWSERS, visitorBrowser } from '../support/visitor-browsers.ts';
import { chatScenarios } from './visitor-scenarios/chat.ts';
import { localisedScenarios } from './visitor-scenarios/localised.ts';

describe.each(VISITOR_BROWSERS)('the visitor in %s', (name) => {
  const browser = visitorBrowser(name);
  chatScenarios(browser);
  localisedScenarios(browser);
});
