/**
 * Section `relay`: our server against a bare Socket.IO relay (bare-relay-server.ts), both
 * child processes driven by the same load client and message pattern (scenario-chat.ts).
 * First a steady scenario (BENCH_RELAY_CONVERSATIONS conversations, one message a second
 * each, for BENCH_RELAY_SECONDS), then a sweep of offered rates (BENCH_SWEEP) in short steps
 * (BENCH_STEP_MS) up to the first saturated step.
 */

import { type ChatRunResult, isSaturated, SATURATION } from './chat-load.ts';
import { log, removeTempDir, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import type { ChatScenarioResult, Target } from './scenario-chat.ts';
import { seedHelpers } from './seed.ts';
import { startServer } from './servers.ts';
import { clientEnv, envList, envNumber, PASSWORD } from './settings.ts';
import { fixed, ratio, table } from './table.ts';

const TARGETS: readonly Target[] = ['real', 'bare'];
const LABEL: Record<Target, string> = { real: 'our server', bare: 'bare relay' };

export async function relaySection(): Promise<string> {
  const conversations = envNumber('BENCH_RELAY_CONVERSATIONS', 200);
  const seconds = envNumber('BENCH_RELAY_SECONDS', 20);
  const rates = envList('BENCH_SWEEP', [200, 400, 800, 1600, 3200, 4800]);
  const stepMs = envNumber('BENCH_STEP_MS', 3000);
  // Each helper takes at most 20 conversations (the capacity limit).
  const helpers = Math.ceil(conversations / 20);

  const steady = new Map<Target, ChatScenarioResult>();
  for (const target of TARGETS) {
    log(`relay: ${LABEL[target]}, ${conversations} conversations × 1 msg/s for ${seconds} s`);
    steady.set(
      target,
      await onServer(target, helpers, [
        '--conversations',
        String(conversations),
        '--messages',
        String(seconds),
        '--interval-ms',
        '1000',
      ]),
    );
  }
  const sweeps = new Map<Target, ChatScenarioResult>();
  for (const target of TARGETS) {
    log(`relay: ${LABEL[target]}, sweep ${rates.join(', ')} msg/s, ${stepMs} ms steps`);
    sweeps.set(
      target,
      await onServer(target, helpers, [
        '--conversations',
        String(conversations),
        '--sweep',
        rates.join(','),
        '--step-ms',
        String(stepMs),
        // A step still draining after 5 s is saturated anyway, and the sweep stops there.
        '--drain-ms',
        '5000',
      ]),
    );
  }
  return report(conversations, seconds, stepMs, rates, steady, sweeps);
}

/** A fresh server of `target`, one load client run against it, the server stopped. */
async function onServer(
  target: Target,
  helperCount: number,
  args: string[],
): Promise<ChatScenarioResult> {
  const dataDir = target === 'real' ? await tempDir('relay') : undefined;
  try {
    const names = dataDir
      ? (await seedHelpers(dataDir, helperCount, PASSWORD)).map((h) => h.name)
      : Array.from({ length: helperCount }, (_, i) => `bare-${i + 1}`);
    const server = await startServer(target, dataDir ? { dataDir } : {});
    try {
      log(`  [bench] ${LABEL[target]} pid ${server.pid} on ${server.url}`);
      return await runClient<ChatScenarioResult>(
        [
          '--scenario',
          'chat',
          '--target',
          target,
          '--url',
          server.url,
          '--helpers',
          names.join(','),
          ...args,
        ],
        { env: clientEnv(), timeoutMs: 240_000 },
      );
    } finally {
      await server.stop();
    }
  } finally {
    if (dataDir) await removeTempDir(dataDir);
  }
}

function report(
  conversations: number,
  seconds: number,
  stepMs: number,
  rates: number[],
  steady: Map<Target, ChatScenarioResult>,
  sweeps: Map<Target, ChatScenarioResult>,
): string {
  const steadyRows = TARGETS.map((target) => {
    const result = steady.get(target);
    const run = result?.runs[0];
    return [
      LABEL[target],
      String(run?.sent ?? 0),
      String(run?.delivered ?? 0),
      fixed(run?.latencyMs?.p50),
      fixed(run?.latencyMs?.p99),
      fixed(run?.laterMessagesLatencyMs?.p99),
      fixed(run?.throughputPerSecond),
      String((result?.errors.total ?? 0) + errorCount(run)),
    ];
  });
  const ours = steady.get('real')?.runs[0];
  const bare = steady.get('bare')?.runs[0];
  steadyRows.push([
    'ours ÷ bare',
    '',
    '',
    ratio(ours?.latencyMs?.p50, bare?.latencyMs?.p50),
    ratio(ours?.latencyMs?.p99, bare?.latencyMs?.p99),
    ratio(ours?.laterMessagesLatencyMs?.p99, bare?.laterMessagesLatencyMs?.p99),
    '',
    '',
  ]);

  const sweepRows = rates.map((rate) => {
    const cells = TARGETS.flatMap((target) => {
      const run = sweeps.get(target)?.runs.find((r) => r.offeredPerSecond === rate);
      if (!run) return ['', '', '', ''];
      return [
        fixed(run.throughputPerSecond, 0),
        fixed(run.latencyMs?.p50),
        fixed(run.latencyMs?.p99),
        isSaturated(run) ? 'saturated' : 'ok',
      ];
    });
    return [String(rate), ...cells];
  });
  const saturation = (target: Target) =>
    sweeps.get(target)?.runs.find((run) => isSaturated(run))?.offeredPerSecond;
  const satOurs = saturation('real');
  const satBare = saturation('bare');
  const top = rates.at(-1) ?? 0;
  const satText = (n: number | undefined) =>
    n === undefined ? `not reached (> ${top} msg/s)` : `${n} msg/s`;
  let satRatio = ratio(satOurs, satBare);
  if (satOurs !== undefined && satBare === undefined) satRatio = `< ${ratio(satOurs, top)}`;
  if (satOurs === undefined && satBare !== undefined) satRatio = `> ${ratio(top, satBare)}`;
  if (satOurs === undefined && satBare === undefined) satRatio = 'neither saturated';

  const notes = TARGETS.flatMap((target) =>
    [steady.get(target), sweeps.get(target)].map((result, i) =>
      result ? `- ${LABEL[target]}, ${i === 0 ? 'steady' : 'sweep'}: ${notesOf(result)}` : '',
    ),
  ).filter(Boolean);

  return [
    `Chat vs a bare Socket.IO relay — steady: ${conversations} conversations × 1 msg/s for ` +
      `${seconds} s; latency = visitor chat:send → helper chat:message`,
    '',
    table(
      [
        'server',
        'msgs sent',
        'delivered',
        'p50 ms',
        'p99 ms',
        'p99 without first msgs',
        'msg/s delivered',
        'errors',
      ],
      steadyRows,
    ),
    '',
    `p99 ours ÷ bare: ${ratio(ours?.latencyMs?.p99, bare?.latencyMs?.p99)} (goal ≤ 2)`,
    '',
    `Throughput sweep — ${conversations} conversations, ~${stepMs / 1000} s per step; a step ` +
      `is saturated when p99 > ${SATURATION.p99Ms} ms or fewer than ` +
      `${SATURATION.deliveredShare * 100}% of the offered msg/s are delivered; each sweep ` +
      'stops at its first saturated step',
    '',
    table(
      [
        'offered msg/s',
        'ours delivered/s',
        'ours p50 ms',
        'ours p99 ms',
        'ours',
        'bare delivered/s',
        'bare p50 ms',
        'bare p99 ms',
        'bare',
      ],
      sweepRows,
    ),
    '',
    `Saturation point: ours ${satText(satOurs)}, bare ${satText(satBare)}; ours ÷ bare ` +
      `${satRatio} (goal ≥ 0.70×)`,
    '',
    ...notes,
  ].join('\n');
}

function errorCount(run: ChatRunResult | undefined): number {
  return Object.values(run?.errors ?? {}).reduce((sum, n) => sum + n, 0);
}

function notesOf(result: ChatScenarioResult): string {
  const phases = Object.entries(result.phasesMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
  const runErrors = result.runs.filter((run) => errorCount(run) > 0).map((run) => run.errors);
  const cpu = result.runs.map((run) => (run.clientCpuMs / 1000).toFixed(1)).join('/');
  return [
    `${result.visitorsConnected}/${result.conversations} visitors`,
    `client CPU per run ${cpu} s`,
    phases,
    result.errors.total > 0 ? `errors ${JSON.stringify(result.errors.byKind)}` : '',
    runErrors.length > 0 ? `message errors ${JSON.stringify(runErrors)}` : '',
    result.failure ? `FAILED in "${result.stoppedIn}": ${result.failure}` : '',
    result.timedOut ? `HARD TIMEOUT in "${result.stoppedIn}"` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
