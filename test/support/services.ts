/**
 * The PostgreSQL and Redis the scale-out tests run against: the machine's own (127.0.0.1,
 * database `test`, user `postgres` or `root`), or the ones `HELP_TEST_DATABASE_URL` /
 * `HELP_TEST_REDIS_URL` name. Tests get them from the run's global setup (services-setup.ts),
 * which looks once and says once what is missing; the bench looks for itself.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export interface Services {
  database?: string;
  redis?: string;
}

const DATABASES = process.env.HELP_TEST_DATABASE_URL
  ? [process.env.HELP_TEST_DATABASE_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const REDISES = [process.env.HELP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'];

async function databaseAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A PostgreSQL URL that answers, or undefined. */
export async function findDatabase(): Promise<string | undefined> {
  for (const url of DATABASES) if (await databaseAnswers(url)) return url;
  return undefined;
}

/** A Redis URL that answers, or undefined. */
export async function findRedis(): Promise<string | undefined> {
  for (const url of REDISES) if (await redisAnswers(url)) return url;
  return undefined;
}

/**
 * Says, in one line, what is missing and which suites that skips; throws instead when
 * `HELP_REQUIRE_SERVICES=1` says this run must have both.
 */
export function servicesMissing(
  services: Services,
  what = 'the PostgreSQL and Redis suites',
): void {
  const missing = [
    services.database ? '' : `PostgreSQL (tried ${DATABASES.join(', ')})`,
    services.redis ? '' : `Redis (tried ${REDISES.join(', ')})`,
  ].filter(Boolean);
  if (missing.length === 0) return;
  const why = `${missing.join(' and ')} not reachable`;
  if (process.env.HELP_REQUIRE_SERVICES === '1') {
    throw new Error(`${what}: ${why}, and HELP_REQUIRE_SERVICES=1 says this run needs them`);
  }
  console.log(`skipping ${what}: ${why}`);
}
