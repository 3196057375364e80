/** Server configuration: defaults, and reading it from the environment (main.ts only). */
import { resolve } from 'node:path';

export interface ServerConfig {
  /** Where the lowdb files live. */
  dataDir: string;
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
  /** `chat:send` per socket. */
  chatRate: { burst: number; perSecond: number };
  /** Help requests per client IP. */
  helpRequestRate: { burst: number; perSecond: number };
  /** Failed sign-ins per IP and per helper name. */
  signInFailures: { perIp: number; perName: number; windowMs: number };
  /** Join-code attempts per helper. */
  joinCodeRate: { burst: number; perSecond: number };
  sessionTtlMs: number;
  /** Folders served as they are; absent ones are simply not served. */
  staticDirs: { widget: string; agent: string; demo: string };
  /** Set when behind a reverse proxy so rate limits see the real client IP. */
  trustProxy: boolean;
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const root = resolve(import.meta.dirname, '..');
  return {
    dataDir: resolve(root, 'data'),
    allowedOrigins: [],
    graceMs: 60_000,
    followTokenTtlMs: 60_000,
    archiveAfterMs: 10 * 60_000,
    chatRate: { burst: 20, perSecond: 5 },
    helpRequestRate: { burst: 10, perSecond: 1 / 6 },
    signInFailures: { perIp: 20, perName: 5, windowMs: 15 * 60_000 },
    joinCodeRate: { burst: 5, perSecond: 1 / 12 },
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
  const graceSeconds = Number(env.HELP_GRACE_SECONDS ?? 60);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    throw new Error(
      `HELP_GRACE_SECONDS must be a number of seconds, not "${env.HELP_GRACE_SECONDS}"`,
    );
  }
  const config = defaultConfig({
    ...(env.HELP_DATA_DIR ? { dataDir: resolve(env.HELP_DATA_DIR) } : {}),
    allowedOrigins: origins,
    ...(publicOrigin ? { publicOrigin } : {}),
    graceMs: graceSeconds * 1000,
    trustProxy: env.HELP_TRUST_PROXY === '1',
  });
  return { config, listen: { port, host: env.HOST ?? 'localhost' } };
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
