/**
 * Section `chat`: the first chat benchmark (docs/benchmarks.md, "Chat latency and
 * throughput"): 50 and 200 conversations, every visitor sending BENCH_MESSAGES messages one
 * every BENCH_INTERVAL_MS, with the server's RSS and CPU sampled from /proc meanwhile.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, removeTempDir, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import { cpuSeconds, rssMb } from './proc.ts';
import type { ChatScenarioResult } from './scenario-chat.ts';
import { seedHelpers } from './seed.ts';
import { startServer } from './servers.ts';
import { clientEnv, envNumber, PASSWORD } from './settings.ts';
import { fixed, table } from './table.ts';

const SCENARIOS = [
  { conversations: 50, helpers: 5 },
  { conversations: 200, helpers: 10 },
] as const;
/** Hard limit for one scenario's load client; it stops and reports what it has. */
const LOAD_TIMEOUT_MS = 45_000;

interface Row {
  conversations: number;
  helpers: number;
  load: ChatScenarioResult;
  rssMb: { before: number; peak: number; after: number };
  serverCpuSeconds: number;
  loadWallSeconds: number;
}

export async function chatSection(): Promise<string> {
  const messages = envNumber('BENCH_MESSAGES', 20);
  const intervalMs = envNumber('BENCH_INTERVAL_MS', 100);
  const rows: Row[] = [];
  for (const { conversations, helpers } of SCENARIOS) {
    log(`chat: ${conversations} conversations, ${helpers} helpers`);
    rows.push(await scenario(conversations, helpers, messages, intervalMs));
  }
  return [
    `Chat bench — ${messages} messages per conversation, one every ${intervalMs} ms per ` +
      'visitor; latency = visitor chat:send → helper chat:message',
    '',
    report(rows),
    '',
    notes(rows),
  ].join('\n');
}

async function scenario(
  conversations: number,
  helperCount: number,
  messages: number,
  intervalMs: number,
): Promise<Row> {
  const dataDir = await tempDir(`chat-${conversations}`);
  try {
    const helpers = await seedHelpers(dataDir, helperCount, PASSWORD);
    const server = await startServer('real', { dataDir });
    try {
      log(`  [bench] server pid ${server.pid} on ${server.url}`);
      await sleep(1000); // let start-up settle before the "before" sample
      const before = rssMb(server.pid);
      const cpuBefore = cpuSeconds(server.pid);
      let peak = before;
      const sampler = setInterval(() => {
        try {
          peak = Math.max(peak, rssMb(server.pid));
        } catch {
          // The server died; the load client will report the errors.
        }
      }, 50);
      const startedAt = performance.now();
      let load: ChatScenarioResult;
      try {
        load = await runClient<ChatScenarioResult>(
          [
            '--scenario',
            'chat',
            '--target',
            'real',
            '--url',
            server.url,
            '--helpers',
            helpers.map((h) => h.name).join(','),
            '--conversations',
            String(conversations),
            '--messages',
            String(messages),
            '--interval-ms',
            String(intervalMs),
          ],
          { env: clientEnv(), timeoutMs: LOAD_TIMEOUT_MS },
        );
      } finally {
        clearInterval(sampler);
      }
      const loadWallSeconds = (performance.now() - startedAt) / 1000;
      const serverCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
      peak = Math.max(peak, rssMb(server.pid));
      await sleep(1000); // clients are gone; let the server drop their sockets
      const after = rssMb(server.pid);
      return {
        conversations,
        helpers: helperCount,
        load,
        rssMb: { before, peak, after },
        serverCpuSeconds,
        loadWallSeconds,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await removeTempDir(dataDir);
  }
}

function report(rows: Row[]): string {
  const body = rows.map((row) => {
    const run = row.load.runs[0];
    const l = run?.latencyMs ?? undefined;
    return [
      String(row.conversations),
      String(row.helpers),
      String(run?.sent ?? 0),
      String(run?.delivered ?? 0),
      fixed(l?.p50),
      fixed(l?.p95),
      fixed(l?.p99),
      fixed(l?.max),
      fixed(run?.throughputPerSecond),
      fixed(row.rssMb.before),
      fixed(row.rssMb.peak),
      fixed(row.rssMb.after),
      fixed(row.serverCpuSeconds),
      String(errorTotal(row.load)),
    ];
  });
  return table(
    [
      'conversations',
      'helpers',
      'msgs sent',
      'delivered',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'msg/s delivered',
      'RSS before MB',
      'RSS peak MB',
      'RSS after MB',
      'server CPU s',
      'errors',
    ],
    body,
    2,
  );
}

function errorTotal(load: ChatScenarioResult): number {
  const inRuns = load.runs.flatMap((run) => Object.values(run.errors));
  return load.errors.total + inRuns.reduce((sum, n) => sum + n, 0);
}

function notes(rows: Row[]): string {
  const out: string[] = [];
  for (const row of rows) {
    const { load } = row;
    const run = load.runs[0];
    const ack = run?.ackLatencyMs;
    const first = run?.firstMessageLatencyMs;
    const phases = Object.entries(load.phasesMs)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ');
    out.push(
      `- ${row.conversations} conversations: offered ${run?.offeredPerSecond ?? '–'} msg/s; ` +
        `ack p50/p95/p99 ${ack ? `${ack.p50}/${ack.p95}/${ack.p99}` : '–'} ms; ` +
        `first message of each conversation p50/p95 ${first ? `${first.p50}/${first.p95}` : '–'} ms; ` +
        `created ${load.created}, assigned ${load.assigned}, visitors ${load.visitorsConnected}; ` +
        `load run ${row.loadWallSeconds.toFixed(1)} s (${phases}); ` +
        `client CPU ${(load.clientCpuMs / 1000).toFixed(1)} s` +
        (load.timedOut ? `; HARD TIMEOUT in "${load.stoppedIn}"` : '') +
        (load.failure ? `; FAILED in "${load.stoppedIn}": ${load.failure}` : ''),
    );
    const errors = { ...load.errors.byKind, ...(run?.errors ?? {}) };
    if (Object.keys(errors).length > 0) out.push(`  errors: ${JSON.stringify(errors)}`);
  }
  return out.join('\n');
}
