/**
 * Section `flood`: one visitor floods an event with ten sockets on one token while calm
 * visitors chat with a helper. Does the flood get past its limits, and do the calm visitors
 * notice? The server runs with its real limits (BENCH_REAL_LIMITS=1), behind a trusted proxy
 * hop so that each simulated visitor has its own address.
 */
import { log, removeTempDir, tempDir } from './children.ts';
import { runClient } from './clients.ts';
import type { CalmResult, FloodEvent, FloodResult } from './scenario-flood.ts';
import { seedHelpers } from './seed.ts';
import { startServer } from './servers.ts';
import { clientEnv, envNumber, PASSWORD } from './settings.ts';
import { fixed, ratio, table } from './table.ts';

const FLOODS: FloodEvent[] = ['conversation:page', 'chat:typing', 'chat:send'];

interface Row {
  flood: FloodEvent | null;
  calm: CalmResult;
  result?: FloodResult;
}

export async function floodSection(): Promise<string> {
  const seconds = envNumber('BENCH_FLOOD_SECONDS', 6);
  const conversations = envNumber('BENCH_FLOOD_CALM', 10);
  const dataDir = await tempDir('flood');
  try {
    const [helper] = await seedHelpers(dataDir, 1, PASSWORD);
    if (!helper) throw new Error('no helper seeded');
    const server = await startServer('real', {
      dataDir,
      env: {
        BENCH_REAL_LIMITS: '1',
        HELP_TRUST_PROXY: 'loopback',
        // The help requests themselves all come from the bench's one address.
        HELP_LIMIT_HELP_REQUEST: '100/s,100',
      },
    });
    try {
      const calm = () =>
        runClient<CalmResult>(
          [
            '--scenario',
            'calm',
            '--url',
            server.url,
            '--helpers',
            helper.name,
            '--conversations',
            String(conversations),
            '--seconds',
            String(seconds),
          ],
          { env: clientEnv(), timeoutMs: seconds * 1000 + 60_000 },
        );
      const rows: Row[] = [];
      log('  [flood] baseline: calm visitors alone');
      rows.push({ flood: null, calm: await calm() });
      for (const event of FLOODS) {
        log(`  [flood] ${event} from 10 sockets while the calm visitors chat`);
        const flood = runClient<FloodResult>(
          [
            '--scenario',
            'flood',
            '--url',
            server.url,
            '--event',
            event,
            '--seconds',
            String(seconds + 4),
          ],
          { env: clientEnv(), timeoutMs: seconds * 1000 + 60_000 },
        );
        // The flood is under way before the calm visitors start, and lasts past them.
        await new Promise((done) => setTimeout(done, 1500));
        const calmResult = await calm();
        rows.push({ flood: event, calm: calmResult, result: await flood });
      }
      return report(rows, conversations);
    } finally {
      await server.stop();
    }
  } finally {
    await removeTempDir(dataDir);
  }
}

function report(rows: Row[], conversations: number): string {
  const base = rows[0]?.calm.latencyMs;
  const body = rows.map(({ flood, calm, result }) => [
    flood ?? 'none (baseline)',
    result ? fixed(result.accepted / result.seconds) : '',
    result ? fixed(result.refused / result.seconds) : '',
    String(calm.sent),
    String(calm.refused),
    fixed(calm.latencyMs?.p50),
    fixed(calm.latencyMs?.p99),
    flood ? ratio(calm.latencyMs?.p50, base?.p50) : '',
    flood ? ratio(calm.latencyMs?.p99, base?.p99) : '',
  ]);
  return [
    `Floods — one visitor, 10 sockets on one token, sending as fast as acks return; meanwhile ${conversations} calm visitors (each its own address) send a chat message every 250 ms; latency = calm visitor chat:send → helper chat:message; real limits`,
    '',
    table(
      [
        'flood',
        'flood accepted/s',
        'flood refused/s',
        'calm sent',
        'calm refused',
        'calm p50 ms',
        'calm p99 ms',
        'p50 ÷ baseline',
        'p99 ÷ baseline',
      ],
      body,
    ),
    '',
    'Goal: a calm visitor round trip within 2× its baseline during each flood, and no calm message refused.',
  ].join('\n');
}
