import UAParser from 'ua-parser-js';
import type { ClientHints, ParsedAgent } from '../../protocol/domain.ts';

/**
 * Reads browser, engine, OS and device from the user agent (ua-parser-js 1.x: MIT; 2.x is
 * AGPL). Client hints, where the browser sent them, correct what the frozen UA string hides:
 * Windows 11 still says "Windows NT 10.0", and Chrome on Android reports model "K".
 */
export function parseUserAgent(userAgent: string, hints?: ClientHints): ParsedAgent {
  const result = new UAParser(userAgent).getResult();
  const agent: ParsedAgent = {
    browser: clean({ name: result.browser.name, version: result.browser.version }),
    engine: clean({ name: result.engine.name, version: result.engine.version }),
    os: clean({ name: result.os.name, version: result.os.version }),
    device: {
      type: deviceType(result.device.type, hints),
      ...clean({ vendor: result.device.vendor, model: result.device.model }),
    },
  };
  if (hints?.platform === 'Windows' && hints.platformVersion) {
    const major = Number.parseInt(hints.platformVersion, 10);
    if (major >= 13) agent.os = { name: 'Windows', version: '11' };
  }
  if (hints?.model) agent.device.model = hints.model;
  const name = agent.browser.name;
  // Brands read "Google Chrome", "Microsoft Edge": match the parser's short name at the end.
  const full =
    name && hints?.fullVersionList?.find((b) => b.brand === name || b.brand.endsWith(` ${name}`));
  if (full) agent.browser.version = full.version;
  return agent;
}

function deviceType(type: string | undefined, hints?: ClientHints): ParsedAgent['device']['type'] {
  if (type === 'mobile' || type === 'tablet') return type;
  if (type) return 'other';
  // ua-parser leaves desktops without a type.
  return hints?.mobile ? 'mobile' : 'desktop';
}

function clean<T extends Record<string, string | undefined>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v)) as Partial<T>;
}
