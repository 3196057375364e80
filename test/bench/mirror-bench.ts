/**
 * `npm run bench -- mirror`: mirror mode in real Chromium. Also runs alone:
 * `npx tsx test/bench/mirror-bench.ts`.
 *
 * 1. The recorder on the visitor's page: our recorder (widget/mirror/recorder.ts, built as
 *    the widget builds it) starts on pages of 5,000 and 50,000 elements. Timed: from the start
 *    until the first snapshot's last piece is handed to the socket (serialize, JSON, gzip), the
 *    longest main-thread task meanwhile (Long Tasks API; tasks under 50 ms are not reported),
 *    and the bytes: JSON and gzip on the wire.
 * 2. A change on the visitor's page until it shows in the helper's replay: the real server (the
 *    test harness), a helper on /agent/ who asked "Mirror page", a visitor who shared the demo's
 *    /guide.html; a paragraph's text changes step after step and each step is timed from just
 *    before the change (visitor's page) until the replay's copy of the paragraph has the new text
 *    (helper's page, a MutationObserver on the replay's document). Both pages share this
 *    machine's clock (`performance.timeOrigin + now()`).
 *
 * Page code is passed as source text: tsx's `__name` helper does not exist in the page, so page
 * functions declare no named inner functions.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../support/browser.ts';
import { type Harness, startHarness } from '../support/server-harness.ts';
import { stats } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SIZES = [5_000, 50_000];
const STEPS = 60;
const STEP_SPACING_MS = 150;
const PASSWORD = 'bench helper password';

const opened: { browser?: Browser; harness?: Harness; dir?: string } = {};

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Stock `@rrweb/record` for comparison, as its README starts it: every event kept, then JSON.
 * Written to a file for the build only, never part of the widget.
 */
const STOCK = `import { record } from '@rrweb/record';
export function stock() {
  const events = [];
  const t0 = performance.now();
  const stop = record({ emit: (event) => events.push(event) });
  const t1 = performance.now();
  const json = JSON.stringify(events);
  stop?.();
  return { snapshotMs: t1 - t0, jsonBytes: json.length };
}`;

/** One ES module, built as the widget's chunks are (minified, production). */
async function buildModule(entry: string, name: string): Promise<string> {
  const dir = opened.dir ?? (await mkdtemp(join(tmpdir(), 'help-mirror-bench-')));
  opened.dir = dir;
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    build: {
      outDir: join(dir, name),
      minify: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: name },
    },
  }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  return readFile(join(dir, name, `${name}.js`), 'utf8');
}

interface SnapshotRow {
  elements: number;
  snapshotMs: number;
  longestTaskMs: number;
  longestWaitMs: number;
  jsonBytes: number;
  gzipBytes: number;
  pieces: number;
}

/** A page of `elements` elements: a shop's listing, cards with text and now and then a field. */
async function bigPage(page: Page, elements: number): Promise<void> {
  await page.goto('about:blank');
  await page.setContent('<!doctype html><title>Big page</title><main></main>');
  await page.evaluate((count) => {
    const main = document.querySelector('main');
    const rows: string[] = [];
    for (let i = 0; i < count / 5; i++) {
      rows.push(
        `<article class="card"><h3>Item ${i}</h3><p>Sturdy and light, item ${i} is ${i % 7} days away.</p>` +
          `<span class="price">${(i * 1.37).toFixed(2)}</span>${i % 10 === 0 ? `<input value="note ${i}">` : '<b>new</b>'}</article>`,
      );
    }
    if (main) main.innerHTML = rows.join('');
  }, elements);
}

/** A module's code, importable in the page. */
function moduleUrl(page: Page, code: string): Promise<string> {
  return page.evaluate(
    (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
    code,
  );
}

async function stockRow(page: Page, stock: string, elements: number) {
  await bigPage(page, elements);
  const url = await moduleUrl(page, stock);
  const row = await page.evaluate(async (source) => {
    const module = (await import(source)) as {
      stock: () => { snapshotMs: number; jsonBytes: number };
    };
    return module.stock();
  }, url);
  return { elements, ...row };
}

/** Times the recorder's first snapshot on a page of `elements` elements. */
async function snapshotRow(page: Page, recorder: string, elements: number): Promise<SnapshotRow> {
  await bigPage(page, elements);
  const url = await moduleUrl(page, recorder);
  return page.evaluate(
    async ({ url, elements }) => {
      const { startRecording } = (await import(
        url
      )) as typeof import('../../widget/mirror/recorder.ts');
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
      // A heartbeat: the longest gap between its beats is the longest the page could not
      // answer (the Long Tasks API reports only tasks over 50 ms).
      let beat = performance.now();
      let longestWait = 0;
      let beating = true;
      const heart = new MessageChannel();
      heart.port1.onmessage = () => {
        const now = performance.now();
        longestWait = Math.max(longestWait, now - beat);
        beat = now;
        if (beating) heart.port2.postMessage(undefined);
      };
      heart.port2.postMessage(undefined);
      let gzipBytes = 0;
      let pieces = 0;
      let full: Uint8Array[] = [];
      const t0 = performance.now();
      const done = new Promise<number>((resolveDone) => {
        const recording = startRecording(
          { block: [], mask: [] },
          0,
          async (part) => {
            if (part.batch !== 0) return { snapshot: false };
            gzipBytes += part.data.byteLength;
            pieces += 1;
            full = [...full, part.data];
            if (part.part === part.parts - 1) {
              resolveDone(performance.now());
              recording.stop();
            }
            return { snapshot: false };
          },
          () => resolveDone(Number.NaN),
        );
      });
      const t1 = await done;
      beating = false;
      // Long tasks are reported after they end: give the observer a moment.
      await new Promise((r) => setTimeout(r, 200));
      observer.disconnect();
      const json = await new Response(
        new Blob(full as BlobPart[]).stream().pipeThrough(new DecompressionStream('gzip')),
      ).text();
      return {
        elements,
        snapshotMs: t1 - t0,
        longestTaskMs: tasks.length > 0 ? Math.max(...tasks) : 0,
        longestWaitMs: longestWait,
        jsonBytes: json.length,
        gzipBytes,
        pieces,
      };
    },
    { url, elements },
  );
}

/** Changes on the visitor's page, timed until the helper's replay shows them. */
async function mutationLatency(browser: Browser): Promise<number[]> {
  const harness = await startHarness();
  opened.harness = harness;
  await harness.addHelper('Bench', PASSWORD);
  const helper = await (
    await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  ).newPage();
  await helper.goto(`${harness.url}/agent/`);
  await helper.getByRole('textbox', { name: 'Name' }).fill('Bench');
  await helper.getByLabel('Password').fill(PASSWORD);
  await helper.getByRole('button', { name: 'Sign in' }).click();
  await helper.getByRole('switch', { name: 'Available' }).click();

  const visitor = await (
    await browser.newContext({ viewport: { width: 900, height: 650 } })
  ).newPage();
  await visitor.goto(`${harness.url}/guide.html`);
  await visitor.evaluate(() => {
    const p = document.createElement('p');
    p.id = 'bench-target';
    p.textContent = 'start';
    document.body.prepend(p);
  });
  await visitor.getByRole('button', { name: 'Help' }).click();
  const dialog = visitor.getByRole('dialog', { name: 'Help' });
  await dialog.getByRole('textbox', { name: 'Message' }).fill('Bench asks');
  await dialog.getByRole('textbox', { name: 'Message' }).press('Enter');
  await dialog.getByText('Bench is here to help.').waitFor();
  await helper.getByRole('button', { name: /Visitor/ }).click();
  await helper.getByRole('button', { name: 'Mirror page' }).click();
  await dialog.getByRole('button', { name: 'Share this page' }).click();
  const replay = helper.frameLocator('iframe').first();
  await replay.locator('#bench-target').waitFor();

  // The helper's page notes when the replay's paragraph takes each new text.
  await helper.evaluate(() => {
    const w = window as Window & { __seen?: Record<string, number> };
    w.__seen = {};
    const seen = w.__seen;
    // The replay's frame, inside the agent page's shadow roots.
    const roots: (Document | ShadowRoot)[] = [document];
    let frame: HTMLIFrameElement | null = null;
    while (roots.length > 0 && !frame) {
      const root = roots.pop() as Document | ShadowRoot;
      frame = root.querySelector('iframe');
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    const doc = frame?.contentDocument;
    if (!doc) throw new Error('no replay');
    new MutationObserver(() => {
      const text = doc.getElementById('bench-target')?.textContent ?? '';
      if (text.startsWith('step-') && seen[text] === undefined) {
        seen[text] = performance.timeOrigin + performance.now();
      }
    }).observe(doc, { subtree: true, childList: true, characterData: true });
  });

  const sent: Record<string, number> = {};
  for (let i = 0; i < STEPS + 3; i++) {
    const text = `step-${i}`;
    sent[text] = await visitor.evaluate((value) => {
      const t = performance.timeOrigin + performance.now();
      const target = document.getElementById('bench-target');
      if (target) target.textContent = value;
      return t;
    }, text);
    await sleep(STEP_SPACING_MS);
  }
  await sleep(1000);
  const seen = await helper.evaluate(
    () => (window as Window & { __seen?: Record<string, number> }).__seen ?? {},
  );
  const latencies: number[] = [];
  // The first three warm up code paths; they are not counted.
  for (let i = 3; i < STEPS + 3; i++) {
    const at = seen[`step-${i}`];
    const from = sent[`step-${i}`];
    if (at !== undefined && from !== undefined) latencies.push(at - from);
  }
  return latencies;
}

async function main(): Promise<void> {
  log('building the recorder…');
  const recorder = await buildModule(resolve(ROOT, 'widget/mirror/recorder.ts'), 'ours');
  const stockEntry = join(ROOT, 'test/bench/.stock-record.js');
  await writeFile(stockEntry, STOCK);
  const stock = await buildModule(stockEntry, 'stock').finally(() => rm(stockEntry));
  const browser = await launchChromium();
  opened.browser = browser;
  const page = await (await browser.newContext()).newPage();
  const rows: SnapshotRow[] = [];
  const stockRows: { elements: number; snapshotMs: number; jsonBytes: number }[] = [];
  for (const elements of SIZES) {
    log(`snapshot of ${elements} elements…`);
    // The first run warms the page up; the second is counted.
    await snapshotRow(page, recorder, elements);
    rows.push(await snapshotRow(page, recorder, elements));
    await stockRow(page, stock, elements);
    stockRows.push(await stockRow(page, stock, elements));
  }
  log('mutation latency…');
  const latencies = await mutationLatency(browser);
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const ms = (n: number) => n.toFixed(0);
  console.log('Recorder on the visitor page (first snapshot, Chromium):');
  console.log('');
  console.log(
    '| elements | snapshot to socket (ms) | longest task (ms) | longest wait for the main thread (ms) | JSON | gzip on the wire | pieces |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const longest = row.longestTaskMs === 0 ? '< 50' : ms(row.longestTaskMs);
    console.log(
      `| ${row.elements.toLocaleString('en')} | ${ms(row.snapshotMs)} | ${longest} | ${ms(row.longestWaitMs)} | ${kb(row.jsonBytes)} | ${kb(row.gzipBytes)} | ${row.pieces} |`,
    );
  }
  console.log('');
  console.log('Stock `@rrweb/record` on the same pages (one synchronous snapshot, then JSON):');
  console.log('');
  console.log('| elements | snapshot (ms, one task) | JSON |');
  console.log('| ---: | ---: | ---: |');
  for (const row of stockRows) {
    console.log(
      `| ${row.elements.toLocaleString('en')} | ${ms(row.snapshotMs)} | ${kb(row.jsonBytes)} |`,
    );
  }
  const s = stats(latencies);
  console.log('');
  console.log(
    `Change on the visitor's page → shown in the helper's replay (${s?.count ?? 0} of ${STEPS} steps seen): ` +
      (s ? `p50 ${s.p50} ms, p95 ${s.p95} ms, p99 ${s.p99} ms, max ${s.max} ms` : 'none seen'),
  );
}

async function closeAll(): Promise<void> {
  await opened.browser?.close().catch(() => undefined);
  await opened.harness?.stop().catch(() => undefined);
  if (opened.dir) await rm(opened.dir, { recursive: true, force: true });
}

const hard = setTimeout(() => {
  log('mirror bench: out of time');
  void closeAll().finally(() => process.exit(1));
}, 120_000);
main()
  .then(closeAll, async (error: unknown) => {
    log(
      `mirror bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    await closeAll();
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(hard));
