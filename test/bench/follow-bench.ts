/**
 * `npm run bench -- follow` (and part of the full `npm run bench`): follow mode's scroll latency,
 * in real browsers on loopback. Also runs alone: `npx tsx test/bench/follow-bench.ts`.
 *
 * The real server (the test harness: createServer on 127.0.0.1:0 with a fresh data directory,
 * in this process) and Debian's Chromium driven by playwright-core: a helper signs in on
 * /agent/, goes available, a visitor asks for help on /guide.html, the helper opens the
 * conversation and follows the page, as in test/e2e/follow-mode.test.ts. Then the visitor's
 * window jumps to a new place, step after step, and each step is timed from just before the
 * visitor's scroll until the helper's copy (the frame in the agent page) has scrolled to the
 * same place. Browser and server are closed, and the data directory removed, on every exit path.
 *
 * Page code below is passed to the browser as source text. tsx names inner functions with an
 * `__name` helper the page does not have, so page functions declare no named inner functions.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Measured steps; BENCH_FOLLOW_STEPS overrides, for exploring. */
const STEPS = envInt('BENCH_FOLLOW_STEPS', 100);
/** Steps run first and not counted: the first scrolls compile and lay out code paths once. */
const WARM_UP_STEPS = 3;
/** Time from one step's start to the next, so each change travels alone. */
const STEP_SPACING_MS = 100;
/** A step whose copy has not arrived by then counts as missed. */
const STEP_TIMEOUT_MS = 2000;
const HARD_TIMEOUT_MS = 90_000;
const TARGET_P95_MS = 50;
/** The copy is at the same place when the step's heading is within this of the visitor's. */
const MATCH_PX = 2;
const HEADINGS = ['faq', 'shipping', 'returns', 'warranty', 'sizing', 'care', 'repairs', 'contact'];
/** Pixels of the heading scrolled past the top: the anchor's offset changes too. */
const OFFSETS = [0, 9, 18];
const VIEWPORTS = {
  helper: { width: 1400, height: 1000 },
  visitor: { width: 900, height: 650 },
} as const;
const PASSWORD = 'bench helper password';

/** What each page records, with `performance.timeOrigin + performance.now()` times (ms). */
interface Probe {
  /** The window's scroll events, with the scroll position after them. */
  scrolls: { t: number; y: number }[];
  /** WebSocket frames sent that carry a cobrowse:change (the visitor's widget). */
  sends: number[];
  /** WebSocket frames received that carry a cobrowse:change, before Socket.IO sees them. */
  receives: number[];
  /** scrollTo calls on the document's scroller (the copy applying a change). */
  applies: number[];
}
type ProbeWindow = Window & { __followBench?: Probe };

/** The server's side, in this process's clock: a cobrowse:change arriving, and relayed. */
interface ServerProbe {
  received: number[];
  relayed: number[];
}
interface EnginePacket {
  data?: unknown;
}
interface EngineSocketEvents {
  on(event: 'packet' | 'packetCreate', listener: (packet: EnginePacket) => void): void;
}

interface Step {
  heading: string;
  offset: number;
  /** Just before the visitor's scroll, in the visitor's page. */
  t0: number;
  /** The copy's first scroll event at the matching position, in the copy; null if missed. */
  applied: number | null;
  missedBecause?: string;
}

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const opened: { browser?: Browser; harness?: Harness } = {};
let closing: Promise<void> | undefined;
let interrupted = false;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

/** Closes the browser, then the server; every caller waits for the same closing. */
function closeAll(): Promise<void> {
  closing ??= (async () => {
    const { browser, harness } = opened;
    // The browser first: its sockets then close, and the server stops without waiting on them.
    if (browser) await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
    if (harness) await Promise.race([harness.stop().catch(() => undefined), sleep(10_000)]);
  })();
  return closing;
}

// Last resort: playwright-core kills its browser when this process exits; the data directory
// goes too.
process.on('exit', () => {
  const dataDir = opened.harness?.dataDir;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping the bench\n`);
    interrupted = true;
    void closeAll().finally(() => process.exit(130));
  });
}

const nowHere = () => performance.timeOrigin + performance.now();

/** Notes every Engine.IO packet that carries a cobrowse:change, both ways. */
function probeServer(harness: Harness): ServerProbe {
  const probe: ServerProbe = { received: [], relayed: [] };
  const carries = (packet: EnginePacket) =>
    typeof packet.data === 'string' && packet.data.includes('"cobrowse:change"');
  harness.server.io.engine.on('connection', (socket: EngineSocketEvents) => {
    socket.on('packet', (packet) => {
      if (carries(packet)) probe.received.push(nowHere());
    });
    socket.on('packetCreate', (packet) => {
      if (carries(packet)) probe.relayed.push(nowHere());
    });
  });
  return probe;
}

/** Runs in every frame of both browser contexts before the page's own scripts. */
function installProbe(): void {
  const probe: Probe = { scrolls: [], sends: [], receives: [], applies: [] };
  (window as ProbeWindow).__followBench = probe;
  // Capture on the window: the first listener for the document's scroll event.
  addEventListener(
    'scroll',
    () => probe.scrolls.push({ t: performance.timeOrigin + performance.now(), y: scrollY }),
    { capture: true, passive: true },
  );
  const nativeSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data) {
    if (typeof data === 'string' && data.includes('"cobrowse:change"')) {
      probe.sends.push(performance.timeOrigin + performance.now());
    }
    nativeSend.call(this, data);
  };
  // engine.io-client listens with `onmessage`; the wrapper notes the frame, then hands it on.
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  const get = onmessage?.get;
  const set = onmessage?.set;
  if (get && set) {
    Object.defineProperty(WebSocket.prototype, 'onmessage', {
      configurable: true,
      enumerable: onmessage.enumerable ?? true,
      get() {
        return get.call(this);
      },
      set(listener: ((this: WebSocket, event: MessageEvent) => unknown) | null) {
        set.call(
          this,
          listener &&
            function (this: WebSocket, event: MessageEvent) {
              if (typeof event.data === 'string' && event.data.includes('"cobrowse:change"')) {
                probe.receives.push(performance.timeOrigin + performance.now());
              }
              return listener.call(this, event);
            },
        );
      },
    });
  }
  const nativeScrollTo = Element.prototype.scrollTo;
  Element.prototype.scrollTo = function (this: Element, ...args: unknown[]) {
    if (this === document.scrollingElement) {
      probe.applies.push(performance.timeOrigin + performance.now());
    }
    Reflect.apply(nativeScrollTo, this, args);
  };
}

async function newPage(browser: Browser, viewport: { width: number; height: number }) {
  const context: BrowserContext = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  await context.addInitScript(installProbe);
  return context.newPage();
}

/** Signs in, goes available, gets a visitor, follows their page: the e2e test's steps. */
async function setUp(browser: Browser, harness: Harness) {
  await harness.addHelper('Alex', PASSWORD);
  const helper = await newPage(browser, VIEWPORTS.helper);
  await helper.goto(`${harness.url}/agent/`);
  await helper.getByRole('textbox', { name: 'Name' }).fill('Alex');
  await helper.getByLabel('Password').fill(PASSWORD);
  await helper.getByRole('button', { name: 'Sign in' }).click();
  await helper.getByRole('switch', { name: 'Available' }).click();
  await helper.getByRole('switch', { name: 'Available', checked: true }).waitFor();

  const visitor = await newPage(browser, VIEWPORTS.visitor);
  await visitor.goto(`${harness.url}/guide.html`);
  await visitor.getByRole('button', { name: 'Help' }).click();
  const dialog = visitor.getByRole('dialog', { name: 'Help' });
  await dialog.getByText('Alex is here to help.').waitFor();
  await helper.getByRole('button', { name: /Visitor/ }).click();

  await helper.getByRole('button', { name: 'Follow page' }).click();
  await helper.getByText('Following the visitor.').waitFor();
  await dialog.getByText('Alex is following your page.').waitFor();
  const copy = helper.frames().find((f) => f !== helper.mainFrame());
  if (!copy) throw new Error('no follow frame in the agent page');
  if (new URL(copy.url()).pathname !== '/guide.html') throw new Error(`copy at ${copy.url()}`);
  await copy.waitForLoadState('load');
  return { helper, visitor, copy };
}

const headingTop = (target: Page | Frame, id: string) =>
  target.evaluate((i) => document.getElementById(i)?.getBoundingClientRect().top ?? null, id);

/** Headings both windows can bring to the top with every offset (not those near the end). */
async function reachable(visitor: Page, copy: Frame): Promise<string[]> {
  const fits = (target: Page | Frame) =>
    target.evaluate(
      ({ ids, extra }) => {
        const scroller = document.scrollingElement ?? document.documentElement;
        const maxY = scroller.scrollHeight - scroller.clientHeight;
        return ids.filter((id) => {
          const heading = document.getElementById(id);
          return heading && heading.getBoundingClientRect().top + scrollY + extra <= maxY - 1;
        });
      },
      { ids: HEADINGS, extra: Math.max(...OFFSETS) },
    );
  const [inVisitor, inCopy] = await Promise.all([fits(visitor), fits(copy)]);
  return inVisitor.filter((id) => inCopy.includes(id));
}

/** One step: the visitor jumps; resolves once the copy shows the same place, or times out. */
async function step(visitor: Page, copy: Frame, heading: string, offset: number): Promise<Step> {
  const moved = await visitor.evaluate(
    ({ id, by }) => {
      const target = document.getElementById(id);
      if (!target) throw new Error(`no #${id}`);
      const y = target.getBoundingClientRect().top + scrollY + by;
      const t0 = performance.timeOrigin + performance.now();
      scrollTo({ top: y, behavior: 'instant' });
      return { t0, top: target.getBoundingClientRect().top };
    },
    { id: heading, by: offset },
  );
  const seen = await copy.evaluate(
    ({ id, top, t0, timeoutMs, matchPx }) =>
      new Promise<{ applied: number | null; why?: string }>((done) => {
        const target = document.getElementById(id);
        const probe = (window as ProbeWindow).__followBench;
        const started = performance.now();
        // Polling only decides when to stop waiting; the time comes from the scroll events.
        // The position changes when the copy calls scrollTo; its scroll event, the time
        // measured, comes with the frame after, so both are waited for.
        const timer = setInterval(() => {
          const now = target?.getBoundingClientRect().top;
          const there = now !== undefined && Math.abs(now - top) <= matchPx;
          const y = scrollY;
          const event = there
            ? probe?.scrolls.find((s) => s.t >= t0 && Math.abs(s.y - y) < 0.5)
            : undefined;
          if (event) {
            clearInterval(timer);
            done({ applied: event.t });
          } else if (performance.now() - started > timeoutMs) {
            clearInterval(timer);
            done({
              applied: null,
              why: there ? 'in place, but no scroll event' : `at ${now} px, not ${top} px`,
            });
          }
        }, 5);
      }),
    { id: heading, top: moved.top, t0: moved.t0, timeoutMs: STEP_TIMEOUT_MS, matchPx: MATCH_PX },
  );
  return {
    heading,
    offset,
    t0: moved.t0,
    applied: seen.applied,
    ...(seen.why ? { missedBecause: seen.why } : {}),
  };
}

async function runSteps(visitor: Page, copy: Frame, headings: string[], count: number) {
  const steps: Step[] = [];
  let nextAt = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = nextAt - performance.now();
    if (wait > 0) await sleep(wait);
    nextAt = performance.now() + STEP_SPACING_MS;
    const heading = headings[i % headings.length] ?? 'faq';
    const offset = OFFSETS[Math.floor(i / headings.length) % OFFSETS.length] ?? 0;
    steps.push(await step(visitor, copy, heading, offset));
  }
  // Let the last step's trailing events land before the probes are read.
  await sleep(STEP_SPACING_MS);
  return steps;
}

/**
 * How far each page's clock is ahead of this process's: from the evaluate round trip with the
 * least delay, ± half that round trip.
 */
async function clockOffset(target: Page | Frame) {
  let best = { offset: 0, halfRtt: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 20; i++) {
    const before = nowHere();
    const there = await target.evaluate(() => performance.timeOrigin + performance.now());
    const after = nowHere();
    if ((after - before) / 2 < best.halfRtt) {
      best = { offset: there - (before + after) / 2, halfRtt: (after - before) / 2 };
    }
  }
  return best;
}

/** The whole machine's CPU counters (all CPUs, in clock ticks): busy and total. */
function cpuTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  // Fields: user nice system idle iowait irq softirq steal …; idle and iowait are not busy.
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

function stats(values: number[]): Stats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return {
    count: sorted.length,
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/**
 * Where a step's time goes: the first event of each kind after the last, within the step.
 * Server times are moved to the visitor's clock with `serverToVisitor` (ms to add).
 */
function breakdown(
  steps: Step[],
  visitorProbe: Probe,
  copyProbe: Probe,
  server: ServerProbe,
  serverToVisitor: number,
) {
  const parts = {
    'visitor: scroll event after scrollTo': [] as number[],
    'visitor: leader sends (animation frame, readScroll, emit)': [] as number[],
    'WebSocket to the server': [] as number[],
    'server: rate limit, validate, look up, relay': [] as number[],
    'WebSocket to the copy': [] as number[],
    'copy: applies (Socket.IO, follower, applyScroll)': [] as number[],
    "copy: scroll event (the copy's next frame)": [] as number[],
  };
  const received = server.received.map((t) => t + serverToVisitor);
  const relayed = server.relayed.map((t) => t + serverToVisitor);
  for (const s of steps) {
    if (s.applied === null) continue;
    const end = s.applied;
    const next = (times: number[], from: number | undefined) =>
      from === undefined ? undefined : times.find((t) => t >= from && t <= end);
    // Clocks in different processes agree only to a millisecond or so: the server and the
    // copy's times are looked for from a little before the previous one.
    const slack = 2;
    const marks = [s.t0];
    marks.push(visitorProbe.scrolls.find((e) => e.t >= s.t0 && e.t <= end)?.t ?? Number.NaN);
    marks.push(next(visitorProbe.sends, marks[1]) ?? Number.NaN);
    marks.push(next(received, (marks[2] ?? 0) - slack) ?? Number.NaN);
    marks.push(next(relayed, marks[3]) ?? Number.NaN);
    marks.push(next(copyProbe.receives, (marks[4] ?? 0) - slack) ?? Number.NaN);
    marks.push(next(copyProbe.applies, marks[5]) ?? Number.NaN);
    marks.push(end);
    if (marks.some((m) => Number.isNaN(m))) continue;
    for (const [i, values] of Object.values(parts).entries()) {
      values.push((marks[i + 1] ?? 0) - (marks[i] ?? 0));
    }
  }
  return Object.entries(parts).map(([name, values]) => ({ name, stats: stats(values) }));
}

function table(header: string[], rows: string[][], leftColumns = 0): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => i < leftColumns;
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...rows.map(format)].join('\n');
}

const ms = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
/** The event loop delay histogram's values (ns) include the tick it is sampled with. */
const LOOP_TICK_MS = 2;
const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_TICK_MS);

async function run(): Promise<void> {
  const started = performance.now();
  const machine =
    `${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
  log(`help-widget follow bench: ${machine}`);
  // The e2e tests' global setup does the same: the server serves the built widget and agent page.
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (build.status !== 0) throw new Error('building the widget and agent page failed');

  opened.harness = await startHarness();
  const serverProbe = probeServer(opened.harness);
  log(`  [follow] server on ${opened.harness.url}, data in ${opened.harness.dataDir}`);
  opened.browser = await launchChromium();
  log(`  [follow] Chromium ${opened.browser.version()}`);
  const { visitor, copy } = await setUp(opened.browser, opened.harness);
  const copySize = await copy.evaluate(() => ({ width: innerWidth, height: innerHeight }));
  log(`  [follow] following; the copy's frame is ${copySize.width}×${copySize.height}`);

  const headings = await reachable(visitor, copy);
  if (headings.length < 2) throw new Error(`too few headings to jump between: ${headings}`);
  // Both at the top before the first step.
  const topNow = await headingTop(visitor, 'faq');
  for (let i = 0; i < 100 && (await headingTop(copy, 'faq')) !== topNow; i++) await sleep(20);

  const visitorClock = await clockOffset(visitor);
  const copyClock = await clockOffset(copy);
  log(`  [follow] ${WARM_UP_STEPS} warm-up steps, then ${STEPS} measured`);
  await runSteps(visitor, copy, headings, WARM_UP_STEPS);
  const load = loadavg()[0] ?? 0;
  const cpuBefore = cpuTicks();
  // This process runs the server: how late its event loop got to things during the steps.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_TICK_MS });
  loopDelay.enable();
  const runStarted = performance.now();
  const steps = await runSteps(visitor, copy, headings, STEPS);
  const runSeconds = (performance.now() - runStarted) / 1000;
  loopDelay.disable();
  const cpuAfter = cpuTicks();
  const busy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total || 1);
  const [visitorProbe, copyProbe] = await Promise.all([
    visitor.evaluate(() => (window as ProbeWindow).__followBench),
    copy.evaluate(() => (window as ProbeWindow).__followBench),
  ]);
  if (!visitorProbe || !copyProbe) throw new Error('the page probes are missing');

  const latencies = steps.flatMap((s) => (s.applied === null ? [] : [s.applied - s.t0]));
  const missed = steps.filter((s) => s.applied === null);
  const l = stats(latencies);
  const verdict = l ? (l.p95 <= TARGET_P95_MS ? 'yes' : 'NO') : '–';

  console.log('');
  console.log(
    'Follow bench — scroll latency: visitor window scrolls → the helper’s copy has scrolled to ' +
      `the same place; one jump every ${STEP_SPACING_MS} ms; target p95 ≤ ${TARGET_P95_MS} ms`,
  );
  console.log(`Machine: ${machine}; Chromium ${opened.browser.version()}`);
  console.log('');
  console.log(
    table(
      [
        'steps',
        'measured',
        'missed',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        `p95 ≤ ${TARGET_P95_MS} ms`,
      ],
      [
        [
          String(steps.length),
          String(latencies.length),
          String(missed.length),
          ms(l?.p50),
          ms(l?.p95),
          ms(l?.p99),
          ms(l?.max),
          verdict,
        ],
      ],
    ),
  );
  console.log('');
  console.log(
    `- Windows: visitor ${VIEWPORTS.visitor.width}×${VIEWPORTS.visitor.height}, copy ` +
      `${copySize.width}×${copySize.height} (a frame in a ${VIEWPORTS.helper.width}×` +
      `${VIEWPORTS.helper.height} agent page); headings ${headings.join(', ')}, ` +
      `offsets ${OFFSETS.join('/')} px; ${WARM_UP_STEPS} warm-up steps not counted; ` +
      `run ${runSeconds.toFixed(1)} s`,
  );
  console.log(
    `- Machine load: all CPUs ${(busy * 100).toFixed(0)}% busy during the measured steps ` +
      `(every process, this bench's browser and server included); load average ` +
      `${load.toFixed(2)} just before; this process's (the server's) event loop ran late by ` +
      `p99 ${ms(late(loopDelay.percentile(99)))} ms, max ${ms(late(loopDelay.max))} ms`,
  );
  console.log(
    `- Clocks, against this process's (which runs the server): visitor ` +
      `${visitorClock.offset.toFixed(2)} ms (± ${visitorClock.halfRtt.toFixed(2)}), copy ` +
      `${copyClock.offset.toFixed(2)} ms (± ${copyClock.halfRtt.toFixed(2)}); the copy's ` +
      `clock minus the visitor's: ${(copyClock.offset - visitorClock.offset).toFixed(2)} ms`,
  );
  for (const s of missed.slice(0, 5)) {
    console.log(`- Missed: #${s.heading} +${s.offset} px: ${s.missedBecause ?? '?'}`);
  }
  console.log('');
  console.log(
    'Where the time goes (ms, per measured step; each part starts where the last ended):',
  );
  console.log('');
  console.log(
    table(
      ['part', 'steps', 'p50', 'p95', 'max'],
      breakdown(steps, visitorProbe, copyProbe, serverProbe, visitorClock.offset).map(
        ({ name, stats: s }) => [name, String(s?.count ?? 0), ms(s?.p50), ms(s?.p95), ms(s?.max)],
      ),
      1,
    ),
  );
  console.log('');
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hardTimeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`hard timeout: not done in ${HARD_TIMEOUT_MS / 1000} s`)),
      HARD_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([run(), hardTimeout]);
  } finally {
    clearTimeout(timer);
    await closeAll();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (interrupted) process.exit(130);
    process.stderr.write(`follow bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
