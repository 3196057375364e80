/**
 * Section `follow`: follow mode's scroll latency in real browsers (follow-bench.ts, which
 * also runs alone). It runs as a child process so its browser and in-process server are
 * cleaned up by its own exit handling, and by ours if it hangs.
 */
import { lines, log, spawnTs } from './children.ts';

/** follow-bench.ts stops itself after 90 s; this is the backstop. */
const BACKSTOP_MS = 150_000;

export async function followSection(): Promise<string> {
  const child = spawnTs('test/bench/follow-bench.ts', []);
  const out: string[] = [];
  lines(child.stdout, (line) => out.push(line));
  lines(child.stderr, log);
  const backstop = setTimeout(() => child.kill('SIGKILL'), BACKSTOP_MS);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(backstop);
  if (code !== 0) out.push('', `follow-bench.ts exited with ${code}; see stderr`);
  return out.join('\n').trim();
}
