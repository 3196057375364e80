/** Server configuration: defaults, and reading it from the environment (main.ts only). */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { VisitorClientEvents } from '../protocol/events.ts';
import type { RulesFile } from '../protocol/rules.ts';
import { rulesFromEnv } from './rules-file.ts';
import type { SignInLimits } from './sign-in-guard.ts';
import type { RateLimit } from './store/live-state.ts';

export interface ServerConfig {
  /** Where the lowdb files live (the default, embedded store). */
  dataDir: string;
  /** PostgreSQL instead of the files (`HELP_DATABASE_URL`), for more than one process. */
  database?: { url: string; schema?: string };
  /** Redis for live state and for Socket.IO between processes (`HELP_REDIS_URL`). */
  redis?: { url: string; prefix?: string };
  /**
   * Sites that may embed the widget, as exact origins. The server's own origin is always
   * allowed too (the agent page and the demo live there).
   */
  allowedOrigins: string[];
  /** This server's origin as browsers see it, when behind a proxy or a domain name. */
  publicOrigin?: string;
  /** How long a helper may be disconnected before their conversations are re-queued. */
  graceMs: number;
  /**
   * How long an ended conversation stays in memory (the visitor's last look at it, a rating)
   * before it moves to the archive.
   */
  archiveAfterMs: number;
  /** How long a follow token may wait to be spent by the helper's copy of the page. */
  followTokenTtlMs: number;
  /** `chat:send` per conversation for visitors, per helper for helpers. */
  chatRate: RateLimit;
  /** Every other visitor event, per conversation (and `perIpFactor` times that per address). */
  visitorEventRates: Record<Exclude<keyof VisitorClientEvents, 'chat:send'>, RateLimit>;
  perIpFactor: number;
  /** Help requests per client IP. */
  helpRequestRate: { burst: number; perSecond: number };
  /** Sign-in attempts per IP, and back-off per helper name and IP. */
  signIn: SignInLimits;
  /** Join-code attempts per helper. */
  joinCodeRate: { burst: number; perSecond: number };
  /** Wrong join codes from all helpers together. */
  wrongJoinCodeRate: { burst: number; perSecond: number };
  /** How long a join code works; the visitor is then shown a new one. */
  joinCodeTtlMs: number;
  /** How long a visitor may have no connection before helpers see them as gone. */
  visitorGoneMs: number;
  /** How long a waiting chat keeps its place once its visitor has no connection. */
  waitingVisitorTimeoutMs: number;
  /** Where to POST new help requests and offline messages, signed with the secret. */
  webhook?: { url: string; secret: string };
  /** The site owner's rules (`help-rules.json`): what helpers may do where, and priority. */
  rules?: RulesFile;
  /** Signs user ids on the site's server: `identify({userId, userHash})` is then verified. */
  identitySecret?: string;
  sessionTtlMs: number;
  /** Folders served as they are; absent ones are simply not served. */
  staticDirs: { widget: string; agent: string; demo: string };
  /**
   * Which reverse proxies to believe about the client's address (`X-Forwarded-For`), with
   * Express's `trust proxy` meaning: how many hops, or which addresses. Never everyone.
   */
  trustProxy: TrustProxy;
}

/** `false`: no proxy; a number: that many proxies in front; a list: proxies' addresses. */
export type TrustProxy = false | number | string[];

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const root = resolve(import.meta.dirname, '..');
  return {
    dataDir: resolve(root, 'data'),
    allowedOrigins: [],
    graceMs: 60_000,
    followTokenTtlMs: 60_000,
    archiveAfterMs: 10 * 60_000,
    chatRate: { burst: 20, perSecond: 5 },
    visitorEventRates: {
      // Scroll is throttled to animation frames by the widget: about 60 a second at most.
      'cobrowse:change': { burst: 120, perSecond: 90 },
      // The widget sends these when something changes: a word typed, a message seen, a page.
      'chat:typing': { burst: 20, perSecond: 2 },
      'chat:read': { burst: 20, perSecond: 2 },
      'chat:history': { burst: 10, perSecond: 1 },
      'conversation:page': { burst: 10, perSecond: 1 },
      'conversation:end': { burst: 5, perSecond: 0.2 },
      'cobrowse:stop': { burst: 5, perSecond: 0.5 },
      'control:answer': { burst: 10, perSecond: 1 },
      // A snapshot comes in up to 100 pieces at once; then a batch per animation frame at most.
      'mirror:data': { burst: 120, perSecond: 60 },
      'mirror:answer': { burst: 10, perSecond: 1 },
      'mirror:stop': { burst: 5, perSecond: 0.5 },
      // Sent when the site calls identify() again, and when the visitor switches tabs.
      'visitor:identify': { burst: 10, perSecond: 0.5 },
      'visitor:visibility': { burst: 20, perSecond: 2 },
    },
    perIpFactor: 10,
    helpRequestRate: { burst: 10, perSecond: 1 / 6 },
    signIn: {
      // Ten wrong passwords per address at once, then one every 90 s.
      perIp: { burst: 10, perSecond: 10 / (15 * 60) },
      // Three mistakes are free; then 1 s, 2 s, 4 s… up to 15 min between tries.
      backoff: {
        freeFailures: 3,
        baseMs: 1000,
        maxMs: 15 * 60_000,
        holdMs: 30_000,
        forgetMs: 60 * 60_000,
      },
    },
    joinCodeRate: { burst: 5, perSecond: 1 / 12 },
    wrongJoinCodeRate: { burst: 30, perSecond: 1 / 2 },
    joinCodeTtlMs: 30 * 60_000,
    visitorGoneMs: 60_000,
    waitingVisitorTimeoutMs: 10 * 60_000,
    sessionTtlMs: 7 * 24 * 3600_000,
    staticDirs: {
      widget: resolve(root, 'dist/widget'),
      agent: resolve(root, 'dist/agent'),
      demo: resolve(root, 'demo'),
    },
    trustProxy: false,
    ...overrides,
  };
}

export interface Listen {
  port: number;
  host: string;
}

/** Reads `PORT`, `HOST`, `HELP_*` variables. Throws with a message naming a bad one. */
export function configFromEnv(env: NodeJS.ProcessEnv): { config: ServerConfig; listen: Listen } {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  }
  const origins = (env.HELP_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!isExactOrigin(origin)) {
      throw new Error(
        `HELP_ALLOWED_ORIGINS: "${origin}" is not an exact origin like https://shop.example`,
      );
    }
  }
  const publicOrigin = env.HELP_PUBLIC_ORIGIN?.trim();
  if (publicOrigin && !isExactOrigin(publicOrigin)) {
    throw new Error(`HELP_PUBLIC_ORIGIN: "${publicOrigin}" is not an exact origin`);
  }
  const defaults = defaultConfig();
  const config = defaultConfig({
    ...limitsFromEnv(env),
    ...(env.HELP_DATA_DIR ? { dataDir: resolve(env.HELP_DATA_DIR) } : {}),
    allowedOrigins: origins,
    ...(publicOrigin ? { publicOrigin } : {}),
    graceMs: duration(env, 'HELP_GRACE_SECONDS', 1000, defaults.graceMs),
    visitorGoneMs: duration(env, 'HELP_VISITOR_GONE_SECONDS', 1000, defaults.visitorGoneMs),
    waitingVisitorTimeoutMs: duration(
      env,
      'HELP_WAITING_VISITOR_TIMEOUT_MINUTES',
      60_000,
      defaults.waitingVisitorTimeoutMs,
    ),
    ...webhookFromEnv(env),
    ...optional('rules', rulesFromEnv(env)),
    ...optional('identitySecret', identitySecretFromEnv(env)),
    ...optional('database', databaseFromEnv(env)),
    ...optional('redis', redisFromEnv(env)),
    trustProxy: parseTrustProxy(env.HELP_TRUST_PROXY),
  });
  return { config, listen: { port, host: env.HOST ?? 'localhost' } };
}

/** A length of time an operator gives in `unitMs` units (seconds, minutes). */
function duration(env: NodeJS.ProcessEnv, name: string, unitMs: number, fallbackMs: number) {
  const value = env[name];
  if (value === undefined) return fallbackMs;
  const amount = Number(value);
  if (value.trim() === '' || !Number.isFinite(amount) || amount < 0) {
    throw new Error(
      `${name} must be a number (${unitMs === 1000 ? 'seconds' : 'minutes'}), not "${value}"`,
    );
  }
  return amount * unitMs;
}

/** `{[key]: value}` when there is a value, `{}` otherwise (optional config stays absent). */
function optional<K extends string, V>(key: K, value: V | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
}

/** `HELP_IDENTITY_SECRET`: long enough that ids signed with it cannot be forged by guessing. */
/** `HELP_DATABASE_URL` (and `HELP_DATABASE_SCHEMA`): the PostgreSQL store. */
export function databaseFromEnv(env: NodeJS.ProcessEnv): ServerConfig['database'] {
  const url = env.HELP_DATABASE_URL?.trim();
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('HELP_DATABASE_URL must be a postgres:// URL, like postgres://help@db/help');
  }
  const schema = env.HELP_DATABASE_SCHEMA?.trim();
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error('HELP_DATABASE_SCHEMA must be lower-case letters, digits and _');
  }
  return schema ? { url, schema } : { url };
}

/** `HELP_REDIS_URL` (and `HELP_REDIS_PREFIX`): live state and rooms in Redis. */
export function redisFromEnv(env: NodeJS.ProcessEnv): ServerConfig['redis'] {
  const url = env.HELP_REDIS_URL?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) {
    throw new Error('HELP_REDIS_URL must be a redis:// URL, like redis://127.0.0.1:6379');
  }
  const prefix = env.HELP_REDIS_PREFIX?.trim();
  if (prefix !== undefined && !/^[\w.:-]+$/.test(prefix)) {
    throw new Error('HELP_REDIS_PREFIX must be letters, digits and . : _ -');
  }
  return prefix ? { url, prefix } : { url };
}

function identitySecretFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.HELP_IDENTITY_SECRET;
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < 16) throw new Error('HELP_IDENTITY_SECRET must be at least 16 characters');
  return secret;
}

/** `HELP_WEBHOOK_URL` with its `HELP_WEBHOOK_SECRET`: unsigned webhooks are refused. */
function webhookFromEnv(env: NodeJS.ProcessEnv): Pick<ServerConfig, 'webhook'> {
  const url = env.HELP_WEBHOOK_URL?.trim();
  if (!url) return {};
  if (!/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) {
    throw new Error(`HELP_WEBHOOK_URL must be an http(s) URL, not "${url}"`);
  }
  const secret = env.HELP_WEBHOOK_SECRET ?? '';
  if (secret.length < 16) {
    throw new Error(
      'HELP_WEBHOOK_SECRET must be set, at least 16 characters, with HELP_WEBHOOK_URL',
    );
  }
  return { webhook: { url, secret } };
}

/** `scheme://host[:port]` and nothing else: no path, no wildcard, no trailing slash. */
export function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Names Express understands for groups of addresses. */
const ADDRESS_GROUPS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `HELP_TRUST_PROXY`: a hop count (`1` for one proxy in front) or a comma-separated list of
 * the proxies' addresses, subnets (`10.0.0.0/8`) or `loopback`/`linklocal`/`uniquelocal`.
 * "Trust everyone" is refused: any client could then choose its own address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128);
    if (!ADDRESS_GROUPS.has(entry) && !(isIP(address) && validBits && rest.length === 0)) {
      throw new Error(
        `HELP_TRUST_PROXY: "${entry}" is not a hop count, an address, a subnet or one of ${[...ADDRESS_GROUPS].join(', ')} (trusting every address would let any client choose its own)`,
      );
    }
  }
  return entries;
}

/** `HELP_LIMIT_*` variable → what it sets. See the README's table. */
const VISITOR_EVENT_VARIABLES = {
  HELP_LIMIT_TYPING: 'chat:typing',
  HELP_LIMIT_READ: 'chat:read',
  HELP_LIMIT_HISTORY: 'chat:history',
  HELP_LIMIT_PAGE: 'conversation:page',
  HELP_LIMIT_END: 'conversation:end',
  HELP_LIMIT_PAGE_CHANGE: 'cobrowse:change',
  HELP_LIMIT_STOP_SHARING: 'cobrowse:stop',
  HELP_LIMIT_CONTROL_ANSWER: 'control:answer',
  HELP_LIMIT_MIRROR_DATA: 'mirror:data',
  HELP_LIMIT_MIRROR_ANSWER: 'mirror:answer',
  HELP_LIMIT_STOP_MIRROR: 'mirror:stop',
} as const;

/** Rate limits an operator set; the rest keep their defaults. */
function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<ServerConfig> {
  const defaults = defaultConfig();
  const rate = (name: string, fallback: RateLimit) => {
    const value = env[name];
    return value === undefined ? fallback : parseRate(name, value);
  };
  const visitorEventRates = { ...defaults.visitorEventRates };
  for (const [name, event] of Object.entries(VISITOR_EVENT_VARIABLES)) {
    visitorEventRates[event] = rate(name, visitorEventRates[event]);
  }
  const factor = Number(env.HELP_LIMIT_PER_IP_FACTOR ?? defaults.perIpFactor);
  if (!Number.isFinite(factor) || factor < 1) {
    throw new Error(
      `HELP_LIMIT_PER_IP_FACTOR must be a number ≥ 1, not "${env.HELP_LIMIT_PER_IP_FACTOR}"`,
    );
  }
  return {
    chatRate: rate('HELP_LIMIT_CHAT', defaults.chatRate),
    helpRequestRate: rate('HELP_LIMIT_HELP_REQUEST', defaults.helpRequestRate),
    joinCodeRate: rate('HELP_LIMIT_JOIN_CODE', defaults.joinCodeRate),
    wrongJoinCodeRate: rate('HELP_LIMIT_WRONG_JOIN_CODE', defaults.wrongJoinCodeRate),
    signIn: { ...defaults.signIn, perIp: rate('HELP_LIMIT_SIGN_IN', defaults.signIn.perIp) },
    visitorEventRates,
    perIpFactor: factor,
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, min: 60, h: 3600 };

/**
 * A rate as an operator writes it: `5/s`, `10/min`, `20/h`, with the burst (how many at once)
 * after a comma: `5/s,20`. Without one, the burst is the count.
 */
export function parseRate(name: string, value: string): RateLimit {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|min|h)\s*(?:,\s*(\d+)\s*)?$/.exec(value);
  const count = Number(match?.[1]);
  const seconds = UNIT_SECONDS[match?.[2] ?? ''];
  const burst = match?.[3] === undefined ? Math.max(1, Math.ceil(count)) : Number(match[3]);
  if (!match || !seconds || !(count > 0) || !(burst >= 1)) {
    throw new Error(
      `${name} must be a rate like 5/s, 10/min or 20/h, optionally with a burst (5/s,20), not "${value}"`,
    );
  }
  return { burst, perSecond: count / seconds };
}
