/**
 * Section `scale`: one process against two, in the same run. Three set-ups, each driven by the
 * same load client and message pattern (scenario-chat.ts):
 * - one process, embedded (files and memory: what `npm start` runs);
 * - one process on PostgreSQL and Redis;
 * - two processes on PostgreSQL and Redis, every visitor on the first and every helper on the
 *   second, so each message crosses from one process to the other through Redis.
 * For each: a steady run (BENCH_SCALE_CONVERSATIONS conversations, one message a second each,
 * for BENCH_SCALE_SECONDS), then a sweep of offered rates (BENCH_SCALE_SWEEP) up to the first
 * saturated step. Measured besides latency: the servers' CPU, and PostgreSQL's committed
 * transactions per second (pg_stat_database), which is what storing the messages costs there.
 * Last, BENCH_SCALE_IDLE_SOCKETS silent visitors spread over two processes: memory per socket
 * and the CPU each process spends while nothing happens.
 * Needs the machine's PostgreSQL and Redis; says so and skips without them.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { findDatabase, findRedis } from '../support/services.ts';
import type { ChatRunResult } from './chat-load.ts';
import { log, removeTempDir, stopChild, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import { startIdleClient } from './idle-client.ts';
import { cpuSeconds, rssMb } from './proc.ts';
import type { ChatScenarioResult } from './scenario-chat.ts';
import { seedHelpers, seedHelpersInDatabase, seedOpenConversations } from './seed.ts';
import { serverMemory } from './server-probe.ts';
import { type ServerChild, startServer } from './servers.ts';
import { clientEnv, envList, envNumber, PASSWORD } from './settings.ts';
import { dropShared } from './shared-services.ts';
import { fixed, table } from './table.ts';

interface Setup {
  label: string;
  processes: 1 | 2;
  shared: boolean;
}

const SETUPS: readonly Setup[] = [
  { label: 'one process, embedded', processes: 1, shared: false },
  { label: 'one process, PostgreSQL + Redis', processes: 1, shared: true },
  { label: 'two processes, PostgreSQL + Redis', processes: 2, shared: true },
];

interface Measured {
  result: ChatScenarioResult;
  serverCpuSeconds: number;
  commitsPerSecond: number | undefined;
  wallSeconds: number;
}

export async function scaleSection(): Promise<string> {
  const [database, redis] = await Promise.all([findDatabase(), findRedis()]);
  if (!database || !redis) {
    return 'Scale bench skipped: it needs the machine’s PostgreSQL and Redis (see README).';
  }
  const conversations = envNumber('BENCH_SCALE_CONVERSATIONS', 200);
  const seconds = envNumber('BENCH_SCALE_SECONDS', 15);
  const rates = envList('BENCH_SCALE_SWEEP', [400, 800, 1600, 3200]);
  const helpers = Math.ceil(conversations / 20);
  const steady = new Map<Setup, Measured>();
  const sweeps = new Map<Setup, Measured>();
  for (const setup of SETUPS) {
    log(`scale: ${setup.label}, ${conversations} conversations × 1 msg/s for ${seconds} s`);
    steady.set(
      setup,
      await onServers(setup, { database, redis }, helpers, [
        '--conversations',
        String(conversations),
        '--messages',
        String(seconds),
        '--interval-ms',
        '1000',
      ]),
    );
    log(`scale: ${setup.label}, sweep ${rates.join(', ')} msg/s`);
    sweeps.set(
      setup,
      await onServers(setup, { database, redis }, helpers, [
        '--conversations',
        String(conversations),
        '--sweep',
        rates.join(','),
        '--step-ms',
        '3000',
        '--drain-ms',
        '5000',
      ]),
    );
  }
  const idleSockets = envNumber('BENCH_SCALE_IDLE_SOCKETS', 10_000);
  log(`scale: ${idleSockets} idle visitor sockets over two processes`);
  const idle = await idleOverTwo({ database, redis }, idleSockets);
  return [report(conversations, seconds, steady, sweeps), '', idle].join('\n');
}

/** File descriptors a process needs besides its sockets (modules, pipes, data files). */
const SPARE_FILES = 500;
/** How long the idle processes are watched with every socket connected. */
const IDLE_WATCH_S = 10;

/**
 * `sockets` silent visitors, each with an open conversation in PostgreSQL, half connected to
 * each of two processes. Per process: heap (after forced GC) and RSS before and with the
 * sockets, and the CPU it spends while nothing happens (its sweep reads the open conversations).
 */
async function idleOverTwo(
  services: { database: string; redis: string },
  sockets: number,
): Promise<string> {
  const tag = randomBytes(6).toString('hex');
  const schema = `help_bench_${tag}`;
  const prefix = `help-bench-${tag}:`;
  const dataDir = await tempDir('scale-idle');
  const servers: ServerChild[] = [];
  const clients: ChildProcess[] = [];
  try {
    const database = { url: services.database, schema };
    const [helper] = await seedHelpersInDatabase(database, 1, PASSWORD);
    if (!helper) throw new Error('no helper seeded');
    const seedStarted = performance.now();
    const tokens = await seedOpenConversations(database, sockets, helper);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const tokensFile = join(dataDir, 'tokens.txt');
    await writeFile(tokensFile, tokens.join('\n'));
    const env = {
      HELP_DATABASE_URL: services.database,
      HELP_DATABASE_SCHEMA: schema,
      HELP_REDIS_URL: services.redis,
      HELP_REDIS_PREFIX: prefix,
      // The seeded helper never connects: keep their conversations where they are.
      HELP_GRACE_SECONDS: '3600',
    };
    const share = Math.ceil(sockets / 2);
    for (let i = 0; i < 2; i++) {
      servers.push(await startServer('real', { dataDir, env, openFiles: share + SPARE_FILES }));
    }
    await sleep(1000);
    const before = await Promise.all(servers.map((s) => serverMemory(s.hookUrl, true)));
    const rssBefore = servers.map((s) => rssMb(s.pid));
    const connectStarted = performance.now();
    const idleClients = servers.map((server, i) =>
      startIdleClient({
        url: server.url,
        tokensFile,
        from: i * share,
        count: Math.min(share, sockets - i * share),
        openFiles: share + SPARE_FILES,
        timeoutMs: 600_000,
      }),
    );
    clients.push(...idleClients.map((client) => client.child));
    const connected = await Promise.all(idleClients.map((client) => client.connected));
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await sleep(2000);
    const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
    await sleep(IDLE_WATCH_S * 1000);
    const idleCpu = servers.map((s, i) => (cpuSeconds(s.pid) - (cpuBefore[i] ?? 0)) / IDLE_WATCH_S);
    const during = await Promise.all(servers.map((s) => serverMemory(s.hookUrl, true)));
    const rssDuring = servers.map((s) => rssMb(s.pid));
    for (const client of clients) client.stdin?.end();
    await Promise.all(idleClients.map((client) => client.done));
    const rows = servers.map((_, i) => {
      const count = connected[i]?.connected ?? 0;
      const heapBefore = (before[i]?.heapUsed ?? 0) / 2 ** 20;
      const heapDuring = (during[i]?.heapUsed ?? 0) / 2 ** 20;
      return [
        `process ${i + 1}`,
        String(count),
        fixed(heapBefore),
        fixed(heapDuring),
        fixed(count > 0 ? ((heapDuring - heapBefore) * 1024) / count : undefined),
        fixed(rssBefore[i]),
        fixed(rssDuring[i]),
        `${fixed((idleCpu[i] ?? 0) * 100, 0)} %`,
      ];
    });
    return [
      `Idle visitor sockets over two processes — ${sockets} visitors, each with an open ` +
        'conversation in PostgreSQL, half connected to each process, silent; heap after forced GC',
      '',
      table(
        [
          '',
          'sockets',
          'heap before MB',
          'heap with sockets MB',
          'heap per socket KB',
          'RSS before MB',
          'RSS with sockets MB',
          `CPU while idle (${IDLE_WATCH_S} s)`,
        ],
        rows,
      ),
      '',
      `- seeded ${sockets} open conversations in ${seedSeconds.toFixed(1)} s; all sockets ` +
        `connected ${connectSeconds.toFixed(1)} s after the clients started`,
    ].join('\n');
  } finally {
    for (const client of clients) await stopChild(client);
    await Promise.all(servers.map((s) => s.stop()));
    await removeTempDir(dataDir);
    await dropShared(services, schema, prefix);
  }
}

/** Fresh servers for `setup`, one load client run against them, everything removed after. */
async function onServers(
  setup: Setup,
  services: { database: string; redis: string },
  helperCount: number,
  args: string[],
): Promise<Measured> {
  const tag = randomBytes(6).toString('hex');
  const schema = `help_bench_${tag}`;
  const prefix = `help-bench-${tag}:`;
  const dataDir = await tempDir('scale');
  const servers: ServerChild[] = [];
  try {
    const names = setup.shared
      ? await seedHelpersInDatabase({ url: services.database, schema }, helperCount, PASSWORD)
      : await seedHelpers(dataDir, helperCount, PASSWORD);
    const env = setup.shared
      ? {
          HELP_DATABASE_URL: services.database,
          HELP_DATABASE_SCHEMA: schema,
          HELP_REDIS_URL: services.redis,
          HELP_REDIS_PREFIX: prefix,
        }
      : {};
    for (let i = 0; i < setup.processes; i++) {
      servers.push(await startServer('real', { dataDir, env }));
    }
    const [visitors, helpers = visitors] = servers;
    if (!visitors || !helpers) throw new Error('no server');
    log(`  [bench] ${servers.map((s) => `pid ${s.pid} on ${s.url}`).join(', ')}`);
    await sleep(1000);
    const cpuBefore = servers.map((s) => cpuSeconds(s.pid));
    const commitsBefore = setup.shared ? await commits(services.database) : 0;
    const started = performance.now();
    const result = await runClient<ChatScenarioResult>(
      [
        '--scenario',
        'chat',
        '--target',
        'real',
        '--url',
        visitors.url,
        '--helper-url',
        helpers.url,
        '--helpers',
        names.map((h) => h.name).join(','),
        ...args,
      ],
      { env: clientEnv(), timeoutMs: 240_000 },
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const serverCpuSeconds = servers.reduce(
      (sum, s, i) => sum + cpuSeconds(s.pid) - (cpuBefore[i] ?? 0),
      0,
    );
    // PostgreSQL counts a transaction in its statistics a moment after it ends.
    await sleep(1500);
    const commitsPerSecond = setup.shared
      ? ((await commits(services.database)) - commitsBefore) / wallSeconds
      : undefined;
    return { result, serverCpuSeconds, commitsPerSecond, wallSeconds };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await removeTempDir(dataDir);
    if (setup.shared) await dropShared(services, schema, prefix);
  }
}

async function commits(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string }>(
      'SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.commits ?? 0);
  } finally {
    await client.end();
  }
}

function errorCount(result: ChatScenarioResult, run?: ChatRunResult): number {
  return result.errors.total + Object.values(run?.errors ?? {}).reduce((a, b) => a + b, 0);
}

/** The last sweep step that kept up: everything delivered, at 95 % of the offered rate or more. */
function saturation(result: ChatScenarioResult): ChatRunResult | undefined {
  return result.runs
    .filter(
      (run) =>
        run.drained &&
        run.delivered === run.sent &&
        run.throughputPerSecond >= 0.95 * run.offeredPerSecond,
    )
    .at(-1);
}

function report(
  conversations: number,
  seconds: number,
  steady: Map<Setup, Measured>,
  sweeps: Map<Setup, Measured>,
): string {
  const steadyRows = SETUPS.map((setup) => {
    const measured = steady.get(setup);
    const run = measured?.result.runs[0];
    return [
      setup.label,
      String(run?.sent ?? 0),
      String(run?.delivered ?? 0),
      fixed(run?.latencyMs?.p50),
      fixed(run?.latencyMs?.p99),
      fixed(run?.laterMessagesLatencyMs?.p99),
      fixed(measured?.serverCpuSeconds),
      fixed(measured?.commitsPerSecond),
      measured ? String(errorCount(measured.result, run)) : '–',
    ];
  });
  const sweepRows = SETUPS.map((setup) => {
    const measured = sweeps.get(setup);
    const result = measured?.result;
    const kept = result && saturation(result);
    const steps = (result?.runs ?? [])
      .map((run) => `${run.offeredPerSecond}→${fixed(run.throughputPerSecond, 0)}`)
      .join(', ');
    return [
      setup.label,
      kept ? String(kept.offeredPerSecond) : '–',
      fixed(kept?.throughputPerSecond),
      fixed(kept?.latencyMs?.p99),
      steps,
      fixed(measured?.commitsPerSecond),
    ];
  });
  return [
    `Scale bench — ${conversations} conversations, one message a second each for ${seconds} s; ` +
      'latency = visitor chat:send → helper chat:message (with two processes the visitor is on ' +
      'the first, the helper on the second)',
    '',
    table(
      [
        'set-up',
        'msgs sent',
        'delivered',
        'p50 ms',
        'p99 ms',
        'p99 without first msgs',
        'server CPU s',
        'PostgreSQL commits/s',
        'errors',
      ],
      steadyRows,
    ),
    '',
    'Sweep of offered rates (msg/s offered → delivered), up to the first step that did not keep up:',
    '',
    table(
      [
        'set-up',
        'highest rate kept up',
        'delivered/s there',
        'p99 ms there',
        'steps',
        'PostgreSQL commits/s (whole sweep)',
      ],
      sweepRows,
    ),
  ].join('\n');
}
