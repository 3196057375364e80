/**
 * The PostgreSQL and Redis the scale-out tests run against: the machine's own (127.0.0.1,
 * database `test`, user `postgres` or `root`), or the ones `HELP_TEST_DATABASE_URL` /
 * `HELP_TEST_REDIS_URL` name. Without them those suites are skipped with one line saying why;
 * with `HELP_REQUIRE_SERVICES=1` (set by `.ci/run`) a missing service fails the run instead.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

const DATABASES = process.env.HELP_TEST_DATABASE_URL
  ? [process.env.HELP_TEST_DATABASE_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

const REDISES = [process.env.HELP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'];

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

async function answers(url: string): Promise<boolean> {
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

/** What to do when a suite's service is not there: fail in CI, else skip and say so once. */
function without(service: string, tried: string[], suite: string): undefined {
  const why = `${service} not reachable at ${tried.join(' or ')}`;
  if (process.env.HELP_REQUIRE_SERVICES === '1') {
    throw new Error(`${suite}: ${why}, and HELP_REQUIRE_SERVICES=1 says this run needs it`);
  }
  console.log(`skipping ${suite}: ${why}`);
  return undefined;
}

/** A PostgreSQL URL that answers, or undefined (after saying so) when there is none. */
export async function testDatabase(suite: string): Promise<string | undefined> {
  for (const url of DATABASES) if (await answers(url)) return url;
  return without('PostgreSQL', DATABASES, suite);
}

/** A Redis URL that answers, or undefined (after saying so) when there is none. */
export async function testRedis(suite: string): Promise<string | undefined> {
  for (const url of REDISES) if (await redisAnswers(url)) return url;
  return without('Redis', REDISES, suite);
}
