/**
 * Section `reconnect`: a storm of visitors connecting at once (a server restart, a network
 * blip) while many wait in the queue. For each queue length in BENCH_RECONNECT_QUEUE, that
 * many waiting conversations are seeded and one client connects a socket for each, 50 at a
 * time; each connection reads the visitor's own place, so the cost per connection should not
 * grow with the queue.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log, removeTempDir, tempDir } from './children.ts';
import { startIdleClient } from './idle-client.ts';
import { cpuSeconds } from './proc.ts';
import { seedHelpers, seedOpenConversations } from './seed.ts';
import { startServer } from './servers.ts';
import { envList, PASSWORD } from './settings.ts';
import { fixed, ratio, table } from './table.ts';

interface Level {
  waiting: number;
  connected: number;
  connectMs: number;
  serverCpuMs: number;
}

export async function reconnectSection(): Promise<string> {
  const queues = envList('BENCH_RECONNECT_QUEUE', [20, 500, 5000]);
  const levels: Level[] = [];
  for (const waiting of queues) {
    const dataDir = await tempDir(`reconnect-${waiting}`);
    try {
      const [helper] = await seedHelpers(dataDir, 1, PASSWORD);
      if (!helper) throw new Error('no helper seeded');
      const tokens = await seedOpenConversations(dataDir, waiting, helper, undefined, 'waiting');
      const tokensFile = join(dataDir, 'tokens.txt');
      await writeFile(tokensFile, tokens.join('\n'));
      const server = await startServer('real', { dataDir, openFiles: waiting + 500 });
      try {
        log(`  [reconnect] ${waiting} waiting: every visitor connects at once`);
        const cpuBefore = cpuSeconds(server.pid);
        const client = startIdleClient({
          url: server.url,
          tokensFile,
          count: waiting,
          openFiles: waiting + 500,
          timeoutMs: 300_000,
        });
        const connected = await client.connected;
        client.child.stdin?.end();
        levels.push({
          waiting,
          connected: connected.connected,
          connectMs: connected.connectMs,
          serverCpuMs: (cpuSeconds(server.pid) - cpuBefore) * 1000,
        });
      } finally {
        await server.stop();
      }
    } finally {
      await removeTempDir(dataDir);
    }
  }
  return report(levels);
}

function report(levels: Level[]): string {
  const first = levels[0];
  const per = (l: Level | undefined) => (l ? l.connectMs / l.connected : undefined);
  const cpu = (l: Level | undefined) => (l ? l.serverCpuMs / l.connected : undefined);
  const rows = levels.map((l) => [
    l.waiting.toLocaleString('en'),
    String(l.connected),
    fixed(l.connectMs, 0),
    fixed(per(l), 2),
    fixed(cpu(l), 2),
  ]);
  const last = levels.at(-1);
  if (first && last && last !== first) {
    rows.push([
      `ratio ${last.waiting.toLocaleString('en')} ÷ ${first.waiting}`,
      '',
      '',
      ratio(per(last), per(first)),
      ratio(cpu(last), cpu(first)),
    ]);
  }
  return [
    'Reconnect storm — every waiting visitor connects at once (50 handshakes in flight), each told its place in the queue',
    '',
    table(
      [
        'waiting in queue',
        'sockets',
        'all connected ms',
        'ms per socket',
        'server CPU ms per socket',
      ],
      rows,
    ),
  ].join('\n');
}
