/**
 * Section `idle`: what many connected, silent visitors cost the server. BENCH_IDLE_SOCKETS
 * open conversations are seeded through the store's API (seed.ts), each with its own visitor
 * token; BENCH_IDLE_CLIENTS load-client processes connect one /visitor socket per token and
 * hold them. The server's heap (after forced garbage collection, through the bench hook) and
 * RSS are read before and with the sockets connected, and /api/health is timed both times.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, removeTempDir, stopChild, tempDir } from './children.ts';
import { startClient } from './clients.ts';
import { cpuSeconds, rssMb } from './proc.ts';
import type { IdleResult } from './scenario-idle.ts';
import { seedHelpers, seedOpenConversations } from './seed.ts';
import { serverMemory } from './server-probe.ts';
import { startServer } from './servers.ts';
import { clientEnv, envNumber, PASSWORD } from './settings.ts';
import { type LatencyStats, stats } from './stats.ts';
import { fixed, table } from './table.ts';

interface Snapshot {
  heapUsedMb: number;
  rssMb: number;
  health: LatencyStats | null;
}

/** File descriptors a process needs besides its sockets (modules, pipes, data files). */
const SPARE_FILES = 500;

export async function idleSection(): Promise<string> {
  const sockets = envNumber('BENCH_IDLE_SOCKETS', 10_000);
  const clientCount = Math.min(sockets, envNumber('BENCH_IDLE_CLIENTS', 2));
  const healthRequests = envNumber('BENCH_HEALTH_REQUESTS', 500);
  const dataDir = await tempDir('idle');
  const tokensDir = await tempDir('idle-tokens');
  const clients: ChildProcess[] = [];
  try {
    const [helper] = await seedHelpers(dataDir, 1, PASSWORD);
    if (!helper) throw new Error('no helper seeded');
    const seedStarted = performance.now();
    const tokens = await seedOpenConversations(dataDir, sockets, helper);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // The clients read their share of the tokens from here: too many for a command line.
    const tokensFile = join(tokensDir, 'tokens.txt');
    await writeFile(tokensFile, tokens.join('\n'));
    const server = await startServer('real', {
      dataDir,
      // The seeded helper never connects: without a long grace period the server would move
      // all these conversations back to the queue a minute after starting.
      env: { HELP_GRACE_SECONDS: '3600' },
      openFiles: sockets + SPARE_FILES,
    });
    try {
      log(`  [bench] server pid ${server.pid} on ${server.url}, started in ${server.startMs} ms`);
      await sleep(1000);
      const before = await snapshot(server.hookUrl, server.pid, server.url, healthRequests);
      const share = Math.ceil(sockets / clientCount);
      const connectStarted = performance.now();
      const serverCpuBefore = cpuSeconds(server.pid);
      const connected: IdleResult[] = [];
      const finished: Promise<unknown[]>[] = [];
      let allConnected = () => {};
      const everyone = new Promise<void>((resolve) => {
        allConnected = resolve;
      });
      for (let i = 0; i < clientCount; i++) {
        const from = i * share;
        const client = startClient(
          [
            '--scenario',
            'idle',
            '--url',
            server.url,
            '--tokens-file',
            tokensFile,
            '--from',
            String(from),
            '--count',
            String(Math.min(share, sockets - from)),
          ],
          {
            env: clientEnv(),
            timeoutMs: 600_000,
            stdin: 'pipe',
            openFiles: share + SPARE_FILES,
            onResult: (result) => {
              const idle = result as IdleResult;
              if (idle.stage !== 'connected') return;
              connected.push(idle);
              if (connected.length === clientCount) allConnected();
            },
          },
        );
        clients.push(client.child);
        finished.push(client.done);
      }
      // A client that dies before connecting everyone ends the wait too, with its error.
      await Promise.race([everyone, Promise.all(finished).then(() => undefined)]);
      const connectSeconds = (performance.now() - connectStarted) / 1000;
      const serverConnectCpu = cpuSeconds(server.pid) - serverCpuBefore;
      await sleep(2000);
      const during = await snapshot(server.hookUrl, server.pid, server.url, healthRequests);
      for (const client of clients) client.stdin?.end();
      const done = (await Promise.all(finished)).map((results) => results.at(-1) as IdleResult);
      return report({
        sockets,
        clientCount,
        seedSeconds,
        connectSeconds,
        serverConnectCpu,
        before,
        during,
        done,
      });
    } finally {
      await server.stop();
    }
  } finally {
    for (const client of clients) await stopChild(client);
    await removeTempDir(dataDir);
    await removeTempDir(tokensDir);
  }
}

async function snapshot(
  hookUrl: string,
  pid: number,
  url: string,
  healthRequests: number,
): Promise<Snapshot> {
  const memory = await serverMemory(hookUrl, true);
  const rss = rssMb(pid);
  const latencies: number[] = [];
  // The first few warm the client's connection and the route up; they are not counted.
  for (let i = -20; i < healthRequests; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/api/health`);
    await response.json();
    if (i >= 0) latencies.push(performance.now() - started);
  }
  return { heapUsedMb: memory.heapUsed / 2 ** 20, rssMb: rss, health: stats(latencies) };
}

function report(r: {
  sockets: number;
  clientCount: number;
  seedSeconds: number;
  connectSeconds: number;
  serverConnectCpu: number;
  before: Snapshot;
  during: Snapshot;
  done: IdleResult[];
}): string {
  const connected = r.done.reduce((sum, d) => sum + d.connected, 0);
  const perSocketKb = (a: number, b: number) =>
    connected > 0 ? ((b - a) * 1024) / connected : NaN;
  const clientCpu = (r.done.reduce((sum, d) => sum + d.clientCpuMs, 0) / 1000).toFixed(1);
  const errors = r.done.flatMap((d) =>
    d.errors.total > 0 ? [JSON.stringify(d.errors.byKind)] : [],
  );
  const row = (label: string, s: Snapshot, n: string) => [
    label,
    n,
    fixed(s.heapUsedMb),
    fixed(s.rssMb),
    fixed(s.health?.p50, 2),
    fixed(s.health?.p99, 2),
  ];
  return [
    `Idle visitor sockets — ${r.sockets} visitors, each with its own open conversation, ` +
      `connected from ${r.clientCount} client processes and silent; heap after forced GC`,
    '',
    table(
      ['', 'visitor sockets', 'heap used MB', 'RSS MB', 'health p50 ms', 'health p99 ms'],
      [
        row('before', r.before, '0'),
        row('connected', r.during, String(connected)),
        [
          'per socket (KB)',
          '',
          fixed(perSocketKb(r.before.heapUsedMb, r.during.heapUsedMb)),
          fixed(perSocketKb(r.before.rssMb, r.during.rssMb)),
          '',
          '',
        ],
      ],
    ),
    '',
    `- seeded ${r.sockets} open conversations in ${r.seedSeconds.toFixed(1)} s; all sockets ` +
      `connected ${r.connectSeconds.toFixed(1)} s after the clients started, using ` +
      `${r.serverConnectCpu.toFixed(1)} s of server CPU and ${clientCpu} s of client CPU; health: ` +
      `${r.before.health?.count ?? 0} GET /api/health one after another, each time`,
    ...(connected < r.sockets ? [`- only ${connected} of ${r.sockets} sockets connected`] : []),
    ...(errors.length > 0 ? [`- client errors: ${errors.join('; ')}`] : []),
  ].join('\n');
}
