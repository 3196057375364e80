/** The only module with side effects: reads the environment, opens the store, listens. */
import type { AddressInfo } from 'node:net';
import { configFromEnv } from './config.ts';
import { createServer } from './create-server.ts';
import { LowdbStore } from './store/lowdb-store.ts';

async function main(): Promise<void> {
  const { config, listen } = configFromEnv(process.env);
  const store = await LowdbStore.open(config.dataDir);
  const server = await createServer(config, store);
  await new Promise<void>((resolve, reject) => {
    server.httpServer.once('error', reject);
    server.httpServer.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.httpServer.address() as AddressInfo;
  const base = `http://localhost:${port}`;
  console.log(`help-widget server on ${base}`);
  console.log(`  demo site   ${base}/`);
  console.log(`  agent page  ${base}/agent/`);
  console.log(`  widget      ${base}/widget.js`);
  console.log(`  data        ${config.dataDir}`);
  if ((await store.listHelpers()).length === 0) {
    console.log(
      '\nNo helper accounts yet. Create one with:\n  npm run volunteer -- add YOUR_NAME\n',
    );
  }

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
