import type { AddressInfo } from 'node:net';
import type { Listen, ServerConfig } from './config.ts';
import { createServer } from './create-server.ts';
import { LocalStore } from './store/local-store.ts';
import { MemoryLiveState } from './store/memory-live-state.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import type { Store } from './store/store.ts';

/**
 * Opens the store, starts the server, says where it is, and closes cleanly on SIGINT or
 * SIGTERM. Used by main.ts (`npm start`) and by the benchmark's server process.
 */
export async function runServer(config: ServerConfig, listen: Listen): Promise<void> {
  const store = await openStore(config);
  const server = await createServer(config, store, new MemoryLiveState());
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
  console.log(`  data        ${storageLine(config)}`);
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

/** PostgreSQL when `HELP_DATABASE_URL` is set; else the embedded files, needing no service. */
export function openStore(config: ServerConfig): Promise<Store> {
  return config.database
    ? PostgresStore.open(config.database)
    : LocalStore.open(config.dataDir, { archiveAfterMs: config.archiveAfterMs });
}

/** Where the data is, for the start-up lines: never the database password. */
function storageLine(config: ServerConfig): string {
  if (!config.database) return config.dataDir;
  const url = new URL(config.database.url);
  const schema = config.database.schema ? `, schema ${config.database.schema}` : '';
  return `PostgreSQL ${url.host}${url.pathname}${schema}`;
}
