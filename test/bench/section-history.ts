/**
 * Section `history`: does a help request, or a history search, cost more when the store
 * already holds many ended conversations? For each count in BENCH_HISTORY: a fresh data
 * directory seeded through the store's API (seed.ts), the real server started on it, a batch
 * of help requests made and ended one after another (scenario-history.ts), then the helper's
 * history searched over HTTP, one search at a time (scenario-search.ts), and the server's
 * memory read after a forced garbage collection.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { findDatabase, findRedis } from '../support/services.ts';
import { log, removeTempDir, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import type { HistoryResult } from './scenario-history.ts';
import type { SearchResult } from './scenario-search.ts';
import { seedEndedConversations, seedHelpers, seedHelpersInDatabase } from './seed.ts';
import { seededQueries } from './seeded-text.ts';
import { serverMemory } from './server-probe.ts';
import { startServer } from './servers.ts';
import { clientEnv, envList, envNumber, PASSWORD } from './settings.ts';
import { dropShared } from './shared-services.ts';
import { bytes, fixed, ratio, table } from './table.ts';

interface Level {
  history: number;
  seedSeconds: number;
  serverStartMs: number;
  result: HistoryResult;
  search: SearchResult;
  /** The server's memory after the searches, after a forced garbage collection. */
  memory: NodeJS.MemoryUsage;
}

export function historySection(): Promise<string> {
  return history('local');
}

/**
 * Section `history-postgres`: the same on the PostgreSQL store (and Redis live state), each
 * level in a schema of its own. Needs the machine's PostgreSQL and Redis.
 */
export async function historyPostgresSection(): Promise<string> {
  const [database, redis] = await Promise.all([findDatabase(), findRedis()]);
  if (!database || !redis) {
    return 'History bench on PostgreSQL skipped: it needs the machine’s PostgreSQL and Redis.';
  }
  return history({ database, redis });
}

async function history(store: 'local' | { database: string; redis: string }): Promise<string> {
  const counts = envList('BENCH_HISTORY', [0, 10_000, 50_000], true);
  const requests = envNumber('BENCH_HISTORY_REQUESTS', 500);
  const limitSeconds = envNumber('BENCH_HISTORY_TIME_LIMIT_S', 60);
  const searches = envNumber('BENCH_HISTORY_SEARCHES', 200);
  const levels: Level[] = [];
  for (const history of counts) {
    log(`history: ${history} ended conversations in the store`);
    const dataDir = await tempDir(`history-${history}`);
    const tag = randomBytes(6).toString('hex');
    const shared =
      store === 'local'
        ? undefined
        : { url: store.database, schema: `help_bench_${tag}`, redis: store.redis, tag };
    try {
      const where = shared ? { url: shared.url, schema: shared.schema } : dataDir;
      const [helper] = shared
        ? await seedHelpersInDatabase(where as { url: string; schema: string }, 1, PASSWORD)
        : await seedHelpers(dataDir, 1, PASSWORD);
      if (!helper) throw new Error('no helper seeded');
      const seedStarted = performance.now();
      await seedEndedConversations(where, history, helper, (done) => {
        if (done % 10_000 === 0 || done === history) log(`  [seed] ${done} ended conversations`);
      });
      const seedSeconds = (performance.now() - seedStarted) / 1000;
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
        log(`  [bench] server pid ${server.pid} on ${server.url}, started in ${server.startMs} ms`);
        const result = await runClient<HistoryResult>(
          [
            '--scenario',
            'history',
            '--url',
            server.url,
            '--helpers',
            helper.name,
            '--server-pid',
            String(server.pid),
            '--hook',
            server.hookUrl,
            '--requests',
            String(requests),
            '--time-limit-ms',
            String(limitSeconds * 1000),
          ],
          // Warm-up and the fsync pass come on top of the batch's own time limit.
          { env: clientEnv(), timeoutMs: limitSeconds * 1000 + 180_000 },
        );
        const search = await runClient<SearchResult>(
          [
            '--scenario',
            'search',
            '--url',
            server.url,
            '--helpers',
            helper.name,
            '--queries',
            JSON.stringify(seededQueries(history, searches)),
          ],
          { env: clientEnv(), timeoutMs: limitSeconds * 1000 + 60_000 },
        );
        const memory = await serverMemory(server.hookUrl, true);
        levels.push({
          history,
          seedSeconds,
          serverStartMs: server.startMs,
          result,
          search,
          memory,
        });
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
  const on = store === 'local' ? '' : ' (PostgreSQL + Redis)';
  return [report(levels, requests, limitSeconds, on), '', searchReport(levels, searches, on)].join(
    '\n',
  );
}

/** The history-search rows: one per level, then the last level's figures over the first's. */
function searchReport(levels: Level[], searches: number, on: string): string {
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  const row = (l: Level) => [
    `history search, ${l.history.toLocaleString('en-GB')} ended conversations`,
    String(l.search.latencyMs?.count ?? 0),
    fixed(l.search.latencyMs?.p50),
    fixed(l.search.latencyMs?.p95),
    fixed(l.search.latencyMs?.max),
    fixed(l.search.meanFound),
    mb(l.memory.heapUsed),
    mb(l.memory.rss),
  ];
  const rows = levels.map(row);
  const first = levels[0];
  const last = levels.at(-1);
  if (first && last && last !== first) {
    rows.push([
      `ratio ${last.history.toLocaleString('en-GB')} ÷ ${first.history.toLocaleString('en-GB')}`,
      '',
      ratio(last.search.latencyMs?.p50, first.search.latencyMs?.p50),
      ratio(last.search.latencyMs?.p95, first.search.latencyMs?.p95),
      ratio(last.search.latencyMs?.max, first.search.latencyMs?.max),
      '',
      ratio(last.memory.heapUsed, first.memory.heapUsed),
      ratio(last.memory.rss, first.memory.rss),
    ]);
  }
  const notes = levels.map((l) => {
    // The slowest search of each kind of query (seeded-text.ts gives them in turn).
    const worst = new Map<string, number>();
    for (const s of l.search.byQuery) {
      const kind = queryKind(s.q);
      worst.set(kind, Math.max(worst.get(kind) ?? 0, s.ms));
    }
    const problems = [
      l.search.errors.total > 0 ? `errors ${JSON.stringify(l.search.errors.byKind)}` : '',
      l.search.failure ? `FAILED in "${l.search.stoppedIn}": ${l.search.failure}` : '',
    ].filter(Boolean);
    return (
      `- ${l.history.toLocaleString('en-GB')}: slowest by kind ` +
      [...worst].map(([kind, ms]) => `${kind} ${ms.toFixed(1)} ms`).join(', ') +
      (problems.length > 0 ? `; ${problems.join('; ')}` : '')
    );
  });
  return [
    `History search${on} — ${searches} searches per level (GET /api/agent/history?q=…, a page ` +
      'of up to 50 with their messages), one at a time, after the help-request batch; memory ' +
      'is the server’s after a forced GC',
    '',
    table(
      ['level', 'searches', 'p50 ms', 'p95 ms', 'max ms', 'found/search', 'heap MB', 'RSS MB'],
      rows,
    ),
    '',
    ...notes,
  ].join('\n');
}

/** Which of seeded-text.ts's kinds a query is, for the notes. */
function queryKind(q: string): string {
  if (q.startsWith('#')) return 'order number';
  if (q.endsWith('@')) return 'email start';
  if (q.includes(' ')) return 'two words';
  return `"${q}"`;
}

function report(levels: Level[], requests: number, limitSeconds: number, on = ''): string {
  const row = (label: string, l: Level) => {
    const w = l.result.writes;
    const f = l.result.fsyncs;
    return [
      label,
      String(l.result.measured),
      fixed(l.result.latencyMs?.p50),
      fixed(l.result.latencyMs?.p99),
      bytes(w?.wchar),
      bytes(w?.network),
      bytes(w?.files),
      bytes(w?.writeBytes),
      fixed(w?.writeCalls),
      f ? fixed((f.fsync + f.fdatasync) / f.requests) : '–',
      fixed(l.result.endLatencyMs?.p50),
    ];
  };
  const rows = levels.map((l) => row(l.history.toLocaleString('en-GB'), l));
  const first = levels[0];
  const last = levels.at(-1);
  if (first && last && last !== first) {
    const a = first.result;
    const b = last.result;
    const fsyncs = (r: HistoryResult) =>
      r.fsyncs ? (r.fsyncs.fsync + r.fsyncs.fdatasync) / r.fsyncs.requests : undefined;
    rows.push([
      `ratio ${last.history.toLocaleString('en-GB')} ÷ ${first.history.toLocaleString('en-GB')}`,
      '',
      ratio(b.latencyMs?.p50, a.latencyMs?.p50),
      ratio(b.latencyMs?.p99, a.latencyMs?.p99),
      ratio(b.writes?.wchar, a.writes?.wchar),
      ratio(b.writes?.network, a.writes?.network),
      ratio(b.writes?.files, a.writes?.files),
      ratio(b.writes?.writeBytes, a.writes?.writeBytes),
      ratio(b.writes?.writeCalls, a.writes?.writeCalls),
      ratio(fsyncs(b), fsyncs(a)),
      ratio(b.endLatencyMs?.p50, a.endLatencyMs?.p50),
    ]);
  }
  const notes = levels.map((l) => {
    const r = l.result;
    const problems = [
      r.hitTimeLimit ? `stopped by the ${limitSeconds} s time limit` : '',
      r.errors.total > 0 ? `errors ${JSON.stringify(r.errors.byKind)}` : '',
      r.failure ? `FAILED in "${r.stoppedIn}": ${r.failure}` : '',
    ].filter(Boolean);
    return (
      `- ${l.history.toLocaleString('en-GB')} ended: seeded in ${l.seedSeconds.toFixed(1)} s, ` +
      `server listening ${(l.serverStartMs / 1000).toFixed(1)} s after start; ` +
      `help request p95/max ${r.latencyMs?.p95 ?? '–'}/${r.latencyMs?.max ?? '–'} ms; ` +
      `fsync pass ${r.fsyncs ? `${r.fsyncs.fsync} fsync + ${r.fsyncs.fdatasync} fdatasync over ${r.fsyncs.requests} requests` : 'not run (strace missing or BENCH_STRACE=0)'}` +
      (problems.length > 0 ? `; ${problems.join('; ')}` : '')
    );
  });
  return [
    `History size${on} — ${requests} help requests per level (POST /api/help-requests, then ended ` +
      'by the helper), one at a time; bytes are per request, create and end together',
    '',
    table(
      [
        'ended conversations in store',
        'requests',
        'p50 ms',
        'p99 ms',
        'wchar B/req',
        'of which network',
        'of which files',
        'write_bytes B/req',
        'write calls/req',
        'fsyncs/req',
        'end p50 ms',
      ],
      rows,
    ),
    '',
    ...notes,
  ].join('\n');
}
