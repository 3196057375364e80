import type { ClientHints, VisitorInfo } from '../../protocol/domain.ts';
import { CUSTOM_KEY_PATTERN } from '../../protocol/limits.ts';
import type { HelpRequestBody } from '../../protocol/schemas.ts';

interface UserAgentData {
  brands: { brand: string; version: string }[];
  mobile: boolean;
  platform: string;
  getHighEntropyValues(hints: string[]): Promise<ClientHints>;
}

/** Everything the helper should know about where the visitor is and what they use. */
export async function collectClientDetails(visitor: VisitorInfo): Promise<HelpRequestBody> {
  const body: HelpRequestBody = {
    pageUrl: location.href,
    pageTitle: document.title.slice(0, 500),
    referrer: /^https?:/.test(document.referrer) ? document.referrer.slice(0, 2048) : '',
    languages: [...navigator.languages].slice(0, 20),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? '',
    screen: { width: screen.width, height: screen.height },
    viewport: { width: innerWidth, height: innerHeight },
    pixelRatio: devicePixelRatio,
    userAgent: navigator.userAgent,
  };
  const hints = await clientHints();
  if (hints) body.clientHints = hints;
  if (Object.keys(visitor).length > 0) body.visitor = visitor;
  return body;
}

async function clientHints(): Promise<ClientHints | undefined> {
  const data = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  if (!data) return undefined;
  try {
    const high = await data.getHighEntropyValues([
      'platformVersion',
      'model',
      'fullVersionList',
      'architecture',
    ]);
    return {
      brands: data.brands,
      mobile: data.mobile,
      platform: data.platform,
      ...(high.platformVersion ? { platformVersion: high.platformVersion } : {}),
      ...(high.model ? { model: high.model } : {}),
      ...(high.fullVersionList ? { fullVersionList: high.fullVersionList } : {}),
      ...(high.architecture ? { architecture: high.architecture } : {}),
    };
  } catch {
    return { brands: data.brands, mobile: data.mobile, platform: data.platform };
  }
}

/** `identify({name, email, plan: 'pro'})` → the visitor info the server accepts. */
export function toVisitorInfo(info: Record<string, unknown>): VisitorInfo {
  const { name, email, ...rest } = info;
  const custom = Object.fromEntries(
    Object.entries(rest)
      .filter(([k, v]) => CUSTOM_KEY_PATTERN.test(k) && v != null)
      .slice(0, 20)
      .map(([k, v]) => [k, String(v).slice(0, 500)]),
  );
  return {
    ...(typeof name === 'string' && name ? { name: name.slice(0, 100) } : {}),
    ...(typeof email === 'string' && email ? { email } : {}),
    ...(Object.keys(custom).length ? { custom } : {}),
  };
}
