/**
 * Bench-only server entry, started by the bench as a child process (with --expose-gc); never
 * used in production. It runs the server as `npm start` does, with the settings in seed.ts
 * (rate limits raised), after starting the bench's side door (server-hook.ts) on its own
 * port, which it announces on stdout before the server's own start-up lines.
 */

import { runBenchServer } from './seed.ts';
import { startServerHook } from './server-hook.ts';

console.log(`bench hook on ${await startServerHook()}`);
try {
  await runBenchServer(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
