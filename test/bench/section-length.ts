/**
 * Section `length`: does a chat message cost more late in a long conversation, and what does
 * one follow-mode scroll event cost? One real server, one conversation grown to
 * BENCH_LENGTH_MESSAGES messages (scenario-length.ts).
 */
import { log, removeTempDir, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import type { LengthResult, MessageWindow, ScrollWindow } from './scenario-length.ts';
import { seedHelpers } from './seed.ts';
import { startServer } from './servers.ts';
import { clientEnv, envNumber, PASSWORD } from './settings.ts';
import { bytes, fixed, ratio, table } from './table.ts';

export async function lengthSection(): Promise<string> {
  const messages = envNumber('BENCH_LENGTH_MESSAGES', 1000);
  const window = envNumber('BENCH_LENGTH_WINDOW', 20);
  const scrolls = envNumber('BENCH_SCROLLS', 500);
  const dataDir = await tempDir('length');
  try {
    const [helper] = await seedHelpers(dataDir, 1, PASSWORD);
    if (!helper) throw new Error('no helper seeded');
    const server = await startServer('real', { dataDir });
    try {
      log(`  [bench] server pid ${server.pid} on ${server.url}`);
      const result = await runClient<LengthResult>(
        [
          '--scenario',
          'length',
          '--url',
          server.url,
          '--helpers',
          helper.name,
          '--server-pid',
          String(server.pid),
          '--hook',
          server.hookUrl,
          '--messages',
          String(messages),
          '--window',
          String(window),
          '--scrolls',
          String(scrolls),
        ],
        { env: clientEnv(), timeoutMs: 300_000 },
      );
      return report(result);
    } finally {
      await server.stop();
    }
  } finally {
    await removeTempDir(dataDir);
  }
}

function report(r: LengthResult): string {
  const cells = (w: MessageWindow | ScrollWindow | null) => [
    bytes(w?.writes.wchar),
    bytes(w?.writes.network),
    bytes(w?.writes.files),
    bytes(w?.writes.writeBytes),
    fixed(w?.writes.writeCalls),
    fixed(w?.latencyMs?.p50),
    fixed(w?.latencyMs?.p99),
  ];
  const message = (w: MessageWindow | null) => [
    'chat message',
    w ? `messages ${w.from}–${w.to}` : '–',
    ...cells(w),
  ];
  const scroll = (w: ScrollWindow | null) => [
    'scroll (follow mode)',
    w ? `${w.events} events, conversation of ${w.atMessages} messages` : '–',
    ...cells(w),
  ];
  const ratios = (label: string, a: MessageWindow | ScrollWindow | null, b: typeof a) => [
    label,
    '',
    ratio(b?.writes.wchar, a?.writes.wchar),
    ratio(b?.writes.network, a?.writes.network),
    ratio(b?.writes.files, a?.writes.files),
    ratio(b?.writes.writeBytes, a?.writes.writeBytes),
    ratio(b?.writes.writeCalls, a?.writes.writeCalls),
    ratio(b?.latencyMs?.p50, a?.latencyMs?.p50),
    ratio(b?.latencyMs?.p99, a?.latencyMs?.p99),
  ];
  const rows = [
    message(r.early),
    message(r.late),
    ratios('ratio late ÷ early', r.early, r.late),
    scroll(r.scrollShort),
    scroll(r.scrollLong),
    ratios('ratio long ÷ short', r.scrollShort, r.scrollLong),
  ];
  const problems = [
    r.errors.total > 0 ? `errors ${JSON.stringify(r.errors.byKind)}` : '',
    r.failure ? `FAILED in "${r.stoppedIn}": ${r.failure}` : '',
    r.timedOut ? `HARD TIMEOUT in "${r.stoppedIn}"` : '',
  ].filter(Boolean);
  return [
    `Conversation length — one conversation of ${r.messages} messages, sent one after another; ` +
      'scrolls at 60/s while the helper follows with one copy of the page; bytes per event',
    '',
    table(
      [
        'event',
        'window',
        'wchar B/event',
        'of which network',
        'of which files',
        'write_bytes B/event',
        'write calls/event',
        'p50 ms',
        'p99 ms',
      ],
      rows,
      2,
    ),
    '',
    '- latency: message = visitor chat:send → helper chat:message (acked after the write); ' +
      'scroll = visitor cobrowse:change → copy receives it (the write is not awaited)',
    ...(problems.length > 0 ? [`- ${problems.join('; ')}`] : []),
  ].join('\n');
}
