import type { ClientHints } from '../../protocol/domain.ts';
import { CUSTOM_KEY_PATTERN } from '../../protocol/limits.ts';
import type { HelpRequestInput, VisitorClaim } from '../../protocol/schemas.ts';
import { randomId } from '../random-id.ts';

interface UserAgentData {
  brands: { brand: string; version: string }[];
  mobile: boolean;
  platform: string;
  getHighEntropyValues(hints: string[]): Promise<ClientHints>;
}

/** Everything the helper should know about where the visitor is and what they use. */
export async function collectClientDetails(visitor: VisitorClaim): Promise<HelpRequestInput> {
  const body: HelpRequestInput = {
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
  const key = visitorKey();
  if (key) body.visitorKey = key;
  const hints = await clientHints();
  if (hints) body.clientHints = hints;
  if (Object.keys(visitor).length > 0) body.visitor = visitor;
  return body;
}

/**
 * This browser's id on this site (localStorage, so per site origin): the helper sees a
 * returning visitor's earlier conversations. Random, not a credential; none if storage is off.
 */
function visitorKey(): string | undefined {
  try {
    let key = localStorage.getItem('help-widget.visitor');
    if (!key) {
      // As the chat's message ids are made: 122 random bits, on plain http too.
      key = randomId();
      localStorage.setItem('help-widget.visitor', key);
    }
    return key;
  } catch {
    return undefined;
  }
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

/**
 * `identify({name, email, plan: 'pro'})` → the visitor info the server accepts. Help never
 * waits on a site's data: a field the server would refuse is dropped, with one warning that
 * names it, and the rest goes through.
 */
export function toVisitorInfo(info: Record<string, unknown>): VisitorClaim {
  const { name, email, userId, userHash, ...rest } = info;
  const dropped: string[] = [];
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (value == null) continue;
    if (!CUSTOM_KEY_PATTERN.test(key) || Object.keys(custom).length >= 20) dropped.push(key);
    else custom[key] = String(value).slice(0, 500);
  }
  const shownName = typeof name === 'string' ? name.trim().slice(0, 100) : '';
  if (name != null && !shownName) dropped.push('name');
  const validEmail = typeof email === 'string' && isEmail(email);
  if (email != null && email !== '' && !validEmail) dropped.push('email');
  // The user id and its proof travel together, as the site's server made them.
  const id = typeof userId === 'string' && userId.length <= 256 ? userId : '';
  if (userId != null && !id) dropped.push('userId');
  const proof = typeof userHash === 'string' && /^[0-9a-fA-F]{64}$/.test(userHash) ? userHash : '';
  if (userHash != null && !proof) dropped.push('userHash');
  if (dropped.length > 0) {
    console.warn(`help-widget: identify() ignored ${dropped.join(', ')}: not a value it can use`);
  }
  return {
    ...(shownName ? { name: shownName } : {}),
    ...(validEmail ? { email } : {}),
    ...(Object.keys(custom).length ? { custom } : {}),
    ...(id ? { userId: id, ...(proof ? { userHash: proof } : {}) } : {}),
  };
}

/** What the browser's own `<input type=email>` accepts: the server checks by the same rule. */
export function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const input = document.createElement('input');
  input.type = 'email';
  input.value = value;
  // An email input trims what it is given; the server does not, so neither may we.
  return input.value === value && input.checkValidity() && value !== '';
}
