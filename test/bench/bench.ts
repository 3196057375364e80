/**
 * `npm run bench`: every section in one run, tables on stdout, progress on stderr.
 *
 *   npm run bench                      all sections
 *   npm run bench -- history relay     only these (or BENCH_ONLY=history,relay)
 *
 * Sections: history, length, relay, idle, chat, follow, mirror, flood, reconnect, scale, history-postgres, reports (docs/benchmarks.md
 * explains each).
 * Each section starts its own servers and clients as child processes and stops them before
 * the next; children.ts makes sure none outlives the bench, whatever happens.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { log } from './children.ts';
import { chatSection } from './section-chat.ts';
import { floodSection } from './section-flood.ts';
import { followSection } from './section-follow.ts';
import { historyPostgresSection, historySection } from './section-history.ts';
import { idleSection } from './section-idle.ts';
import { lengthSection } from './section-length.ts';
import { mirrorSection } from './section-mirror.ts';
import { reconnectSection } from './section-reconnect.ts';
import { relaySection } from './section-relay.ts';
import { reportsSection } from './section-reports.ts';
import { scaleSection } from './section-scale.ts';
import { takeServerStderr } from './servers.ts';

const SECTIONS: Record<string, () => Promise<string>> = {
  history: historySection,
  length: lengthSection,
  relay: relaySection,
  idle: idleSection,
  chat: chatSection,
  follow: followSection,
  mirror: mirrorSection,
  flood: floodSection,
  reconnect: reconnectSection,
  scale: scaleSection,
  'history-postgres': historyPostgresSection,
  reports: reportsSection,
};

function chosen(): string[] {
  const fromArgs = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const fromEnv = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim());
  const names = fromArgs.length > 0 ? fromArgs : fromEnv.filter(Boolean);
  const unknown = names.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    throw new Error(
      `unknown section ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`,
    );
  }
  return names.length > 0 ? names : Object.keys(SECTIONS);
}

async function main(): Promise<void> {
  const started = performance.now();
  const names = chosen();
  const machine =
    `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
  console.log(`# help-widget bench, ${new Date().toISOString()}`);
  console.log('');
  console.log(
    `Machine: ${machine}; load average at start ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  console.log(`Sections: ${names.join(', ')}`);
  for (const name of names) {
    const section = SECTIONS[name];
    if (!section) continue;
    log(`\n== ${name} ==`);
    const sectionStarted = performance.now();
    const text = await section();
    console.log('');
    console.log(`## ${name} (${((performance.now() - sectionStarted) / 1000).toFixed(0)} s)`);
    console.log('');
    console.log(text);
    const stderr = takeServerStderr();
    if (stderr.length > 0) {
      console.log(`- server stderr (${stderr.length} lines): ${stderr.slice(0, 5).join(' ⏎ ')}`);
    }
  }
  console.log('');
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
