/**
 * Bench-only server entry: what server/main.ts does (config from the environment, lowdb
 * store, listen, print "help-widget server on http://localhost:PORT", close on SIGTERM), with
 * two rate limits raised. Started by chat-bench.ts as a child process; never used in
 * production.
 *
 * Why the limits are raised: the bench measures the chat path, not the limiters.
 * - helpRequestRate is per client IP (10 at once, then one per 6 s). Every simulated visitor
 *   comes from 127.0.0.1, so all but the first 10 of the bench's 50 or 200 help requests
 *   would get 429.
 * - chatRate is per socket (20 at once, then 5/s). A bench visitor sends one message every
 *   100 ms, faster than a person types, and would soon be refused.
 * Every other setting, and every code path a message takes, is the one main.ts runs.
 */
import type { AddressInfo } from 'node:net';
import { configFromEnv, defaultConfig } from '../../server/config.ts';
import { createServer } from '../../server/create-server.ts';
import { LowdbStore } from '../../server/store/lowdb-store.ts';

async function main(): Promise<void> {
  const { config: fromEnv, listen } = configFromEnv(process.env);
  const config = defaultConfig({
    ...fromEnv,
    helpRequestRate: { burst: 100_000, perSecond: 100_000 },
    chatRate: { burst: 1000, perSecond: 1000 },
  });
  const store = await LowdbStore.open(config.dataDir);
  const server = await createServer(config, store);
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  console.log(`help-widget server on http://localhost:${port}`);
  console.log(`  data        ${config.dataDir}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
