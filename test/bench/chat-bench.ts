/**
 * `npm run bench`: chat latency, throughput and server memory under load.
 *
 * Per scenario: a fresh data directory with helper accounts, the real server in a child
 * process (bench-server.ts: main.ts with the rate limits raised), and the load generator in
 * another child process (load-client.ts). This process only orchestrates, samples the
 * server's RSS and CPU from /proc, and prints a table. Everything talks over 127.0.0.1.
 * Child processes are killed and the temp directory removed on every exit path.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashPassword } from '../../server/desk/secrets.ts';
import { LocalStore } from '../../server/store/local-store.ts';
import type { LoadResult } from './load-client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCENARIOS = [
  { conversations: 50, helpers: 5 },
  { conversations: 200, helpers: 10 },
] as const;
/** Overridable for exploring, e.g. BENCH_INTERVAL_MS=200 to stay below saturation. */
const MESSAGES_PER_CONVERSATION = envInt('BENCH_MESSAGES', 20);
const INTERVAL_MS = envInt('BENCH_INTERVAL_MS', 100);
/** Hard limit for one scenario's load client; it stops and reports what it has. */
const LOAD_TIMEOUT_MS = 45_000;
const PASSWORD = `bench ${randomBytes(9).toString('base64url')}`;
const CLOCK_TICKS = clockTicks();

const children = new Set<ChildProcess>();
let tempRoot: string | undefined;

// Whatever happens, no child outlives the bench and no temp directory is left behind.
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the bench\n`);
    process.exit(130);
  });
}

interface Row {
  conversations: number;
  helpers: number;
  load: LoadResult;
  rssMb: { before: number; peak: number; after: number };
  serverCpuSeconds: number;
  loadWallSeconds: number;
  serverStderr: string[];
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function spawnTs(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // `node --import tsx` rather than `npx tsx`: the pid is then the node process itself,
  // whose /proc entry we sample, not a wrapper around it.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let buffered = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) onLine(part);
  });
  stream?.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function createHelpers(dataDir: string, count: number): Promise<string[]> {
  const store = await LocalStore.open(dataDir);
  // One scrypt hash for all: each account still verifies its password the normal way.
  const passwordHash = await hashPassword(PASSWORD);
  const names = Array.from({ length: count }, (_, i) => `bench-${String(i + 1).padStart(2, '0')}`);
  for (const [i, name] of names.entries()) {
    await store.addHelper({
      id: `bench-helper-${i + 1}`,
      name,
      passwordHash,
      createdAt: new Date().toISOString(),
    });
  }
  await store.close();
  return names;
}

async function startServer(
  dataDir: string,
): Promise<{ child: ChildProcess; pid: number; url: string; stderr: string[] }> {
  const child = spawnTs('test/bench/bench-server.ts', [], {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    HELP_DATA_DIR: dataDir,
  });
  const stderr: string[] = [];
  lines(child.stderr, (line) => stderr.push(line));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 20 s')), 20_000);
    lines(child.stdout, (line) => {
      const match = /help-widget server on http:\/\/[^:]+:(\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.join('\n')}`));
    });
  });
  if (child.pid === undefined) throw new Error('server has no pid');
  // main.ts prints localhost; we connect to the address it listens on.
  return { child, pid: child.pid, url: `http://127.0.0.1:${port}`, stderr };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

async function runLoadClient(url: string, helperNames: string[], conversations: number) {
  const child = spawnTs(
    'test/bench/load-client.ts',
    [
      '--url',
      url,
      '--helpers',
      helperNames.join(','),
      '--conversations',
      String(conversations),
      '--messages',
      String(MESSAGES_PER_CONVERSATION),
      '--interval-ms',
      String(INTERVAL_MS),
      '--timeout-ms',
      String(LOAD_TIMEOUT_MS),
    ],
    { ...process.env, BENCH_HELPER_PASSWORD: PASSWORD },
  );
  let result: LoadResult | undefined;
  lines(child.stdout, (line) => {
    if (line.startsWith('{')) result = JSON.parse(line) as LoadResult;
  });
  lines(child.stderr, log);
  // Backstop in case the client's own hard timeout fails to stop it.
  const backstop = setTimeout(() => child.kill('SIGKILL'), LOAD_TIMEOUT_MS + 15_000);
  const code = await new Promise<number | null>((done) => child.once('close', done));
  clearTimeout(backstop);
  if (!result) throw new Error(`load client exited with ${code} and no result`);
  return result;
}

async function runScenario(conversations: number, helperCount: number): Promise<Row> {
  if (!tempRoot) throw new Error('no temp dir');
  const dataDir = join(tempRoot, `c${conversations}`);
  await mkdir(dataDir);
  const helperNames = await createHelpers(dataDir, helperCount);
  const server = await startServer(dataDir);
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
    let load: LoadResult;
    try {
      load = await runLoadClient(server.url, helperNames, conversations);
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
      serverStderr: server.stderr,
    };
  } finally {
    await stopChild(server.child);
  }
}

function table(rows: Row[]): string {
  const fixed = (n: number | undefined, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));
  const header = [
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
  ];
  const body = rows.map((row) => {
    const l = row.load.latencyMs ?? undefined;
    return [
      String(row.conversations),
      String(row.helpers),
      String(row.load.sent),
      String(row.load.delivered),
      fixed(l?.p50),
      fixed(l?.p95),
      fixed(l?.p99),
      fixed(l?.max),
      fixed(row.load.throughputPerSecond),
      fixed(row.rssMb.before),
      fixed(row.rssMb.peak),
      fixed(row.rssMb.after),
      fixed(row.serverCpuSeconds),
      String(row.load.errors.total),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...body.map(format)].join('\n');
}

function notes(rows: Row[]): string {
  const out: string[] = [];
  for (const row of rows) {
    const { load } = row;
    const ack = load.ackLatencyMs;
    const first = load.firstMessageLatencyMs;
    const phases = Object.entries(load.phasesMs)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ');
    out.push(
      `- ${row.conversations} conversations: offered ${load.offeredPerSecond} msg/s; ` +
        `ack p50/p95/p99 ${ack ? `${ack.p50}/${ack.p95}/${ack.p99}` : '–'} ms; ` +
        `first message of each conversation p50/p95 ${first ? `${first.p50}/${first.p95}` : '–'} ms; ` +
        `created ${load.created}, assigned ${load.assigned}, visitors ${load.visitorsConnected}; ` +
        `load run ${row.loadWallSeconds.toFixed(1)} s (${phases}); ` +
        `client CPU ${(load.clientCpuMs / 1000).toFixed(1)} s` +
        (load.timedOut ? `; HARD TIMEOUT in "${load.stoppedIn}"` : '') +
        (load.failure ? `; FAILED in "${load.stoppedIn}": ${load.failure}` : ''),
    );
    if (load.errors.total > 0) out.push(`  errors: ${JSON.stringify(load.errors.byKind)}`);
    const serverErrors = row.serverStderr.filter(Boolean);
    if (serverErrors.length > 0) {
      out.push(
        `  server stderr (${serverErrors.length} lines): ${serverErrors.slice(0, 5).join(' ⏎ ')}`,
      );
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  tempRoot = await mkdtemp(join(tmpdir(), 'help-bench-'));
  const machine =
    `${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
  log(`help-widget chat bench: ${machine}`);
  log(`data in ${tempRoot}`);
  const rows: Row[] = [];
  for (const { conversations, helpers } of SCENARIOS) {
    log(`scenario: ${conversations} conversations, ${helpers} helpers`);
    rows.push(await runScenario(conversations, helpers));
  }
  console.log('');
  console.log(
    `Chat bench — ${MESSAGES_PER_CONVERSATION} messages per conversation, one every ` +
      `${INTERVAL_MS} ms per visitor; latency = visitor chat:send → helper chat:message`,
  );
  console.log(`Machine: ${machine}`);
  console.log('');
  console.log(table(rows));
  console.log('');
  console.log(notes(rows));
  console.log('');
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
