import { describe } from 'vitest';
import { VISITOR_BROWSERS } from '../support/visitor-browsers.ts';
import { chatScenarios } from './visitor-scenarios/chat.ts';

describe.each(VISITOR_BROWSERS)('the visitor in %s', (browserName) => chatScenarios(browserName));
