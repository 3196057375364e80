/**
 * Section `reports`: does opening a 30-day report cost more when the store holds many ended
 * conversations? For each count in BENCH_REPORTS, on the local store and (when the machine
 * has them) PostgreSQL + Redis: a fresh store seeded through its API (seed.ts: one a minute,
 * back from now, so 50,000 span 35 days and a 30-day range holds about 43,000), the real
 * server started on it, a helper signed in, then `GET /api/agent/reports` for the last 30
 * days timed one request at a time, the first (cold) apart.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { findDatabase, findRedis } from '../support/services.ts';
import { log, removeTempDir, tempDir } from './children.ts';
import { seedEndedConversations, seedHelpers, seedHelpersInDatabase } from './seed.ts';
import { startServer } from './servers.ts';
import { envList, envNumber, PASSWORD } from './settings.ts';
import { dropShared } from './shared-services.ts';
import { type LatencyStats, stats } from './stats.ts';
import { fixed, table } from './table.ts';

interface Level {
  store: string;
  conversations: number;
  serverStartMs: number;
  counted: number;
  firstMs: number;
  latency: LatencyStats | null;
}

const TZ = 'Europe/Paris';

export async function reportsSection(): Promise<string> {
  const counts = envList('BENCH_REPORTS', [0, 50_000], true);
  const requests = envNumber('BENCH_REPORTS_REQUESTS', 50);
  const [database, redis] = await Promise.all([findDatabase(), findRedis()]);
  const levels: Level[] = [];
  for (const conversations of counts) levels.push(await level('local', conversations, requests));
  if (database && redis) {
    for (const conversations of counts) {
      levels.push(await level({ database, redis }, conversations, requests));
    }
  }
  const rows = levels.map((l) => [
    l.store,
    l.conversations.toLocaleString('en'),
    l.counted.toLocaleString('en'),
    fixed(l.serverStartMs, 0),
    fixed(l.firstMs),
    fixed(l.latency?.p50),
    fixed(l.latency?.p95),
    fixed(l.latency?.max),
  ]);
  return [
    table(
      [
        'store',
        'ended conversations',
        'in the 30 days',
        'server start ms',
        'first report ms',
        'p50 ms',
        'p95 ms',
        'max ms',
      ],
      rows,
      1,
    ),
    '',
    `${requests} reports of the last 30 days (${TZ}) per level, one at a time, over HTTP.` +
      (database && redis
        ? ''
        : ' PostgreSQL skipped: it needs the machine’s PostgreSQL and Redis.'),
  ].join('\n');
}

async function level(
  store: 'local' | { database: string; redis: string },
  conversations: number,
  requests: number,
): Promise<Level> {
  const name = store === 'local' ? 'local' : 'PostgreSQL';
  log(`reports: ${name}, ${conversations} ended conversations in the store`);
  const dataDir = await tempDir(`reports-${conversations}`);
  const tag = randomBytes(6).toString('hex');
  const shared =
    store === 'local'
      ? undefined
      : { url: store.database, schema: `help_bench_${tag}`, redis: store.redis };
  try {
    const where = shared ? { url: shared.url, schema: shared.schema } : dataDir;
    const [helper] = shared
      ? await seedHelpersInDatabase({ url: shared.url, schema: shared.schema }, 1, PASSWORD)
      : await seedHelpers(dataDir, 1, PASSWORD);
    if (!helper) throw new Error('no helper seeded');
    await seedEndedConversations(where, conversations, helper, (done) => {
      if (done % 10_000 === 0) log(`  [seed] ${done} ended conversations`);
    });
    const env = shared
      ? {
          HELP_DATABASE_URL: shared.url,
          HELP_DATABASE_SCHEMA: shared.schema,
          HELP_REDIS_URL: shared.redis,
          HELP_REDIS_PREFIX: `help-bench-${tag}:`,
        }
      : {};
    const server = await startServer('real', { dataDir, env });
    try {
      const cookie = await signIn(server.url, helper.name);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
      const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const url = `${server.url}/api/agent/reports?from=${from}&to=${today}&tz=${encodeURIComponent(TZ)}`;
      const timed = async () => {
        const started = performance.now();
        const response = await fetch(url, { headers: { cookie } });
        const body = (await response.json()) as { report?: { chats: number } };
        if (!body.report) throw new Error(`report: HTTP ${response.status}`);
        return { ms: performance.now() - started, chats: body.report.chats };
      };
      const first = await timed();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) times.push((await timed()).ms);
      return {
        store: name,
        conversations,
        serverStartMs: server.startMs,
        counted: first.chats,
        firstMs: first.ms,
        latency: stats(times),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await removeTempDir(dataDir);
    if (shared) {
      await dropShared(
        { database: shared.url, redis: shared.redis },
        shared.schema,
        `help-bench-${tag}:`,
      );
    }
  }
}

async function signIn(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}/api/agent/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ name, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in ${name}: HTTP ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}
