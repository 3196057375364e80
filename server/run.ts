import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Listen, ServerConfig } from './config.ts';
import { createServer } from './create-server.ts';
import { LocalStore } from './store/local-store.ts';
import { MemoryLiveState } from './store/memory-live-state.ts';
import { PostgresStore } from './store/postgres/postgres-store.ts';
import { RedisLiveState } from './store/redis-live-state.ts';
import type { Store } from './store/store.ts';

/**
 * Opens the store, starts the server, says where it is, and closes cleanly on SIGINT or
 * SIGTERM. Used by main.ts (`npm start`) and by the benchmark's server process.
 */
export async function runServer(config: ServerConfig, listen: Listen): Promise<void> {
  const store = await openStore(config);
  const { live, cluster } = await openLiveState(config);
  const server = await createServer(config, store, live, cluster);
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
  if (config.redis) console.log(`  live state  Redis ${new URL(config.redis.url).host}`);
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

/**
 * Redis when `HELP_REDIS_URL` is set: live state there, and Socket.IO's Redis Streams adapter,
 * so an event for a room reaches its sockets in every process. Else this process's memory.
 */
export async function openLiveState(config: ServerConfig) {
  if (!config.redis) return { live: new MemoryLiveState(), cluster: {} };
  const prefix = config.redis.prefix ?? 'help:';
  // A process that dies says goodbye to no one: its helpers count as gone when their lease
  // runs out, then the grace period starts. Half the grace period keeps the two in proportion.
  const leaseMs = Math.min(30_000, Math.max(1000, config.graceMs / 2));
  const live = await RedisLiveState.open({ url: config.redis.url, prefix, leaseMs });
  // Its own connection: the adapter blocks on reading its stream.
  const client = new Redis(config.redis.url);
  client.on('error', (error: Error) => console.error('Redis (rooms):', error.message));
  return {
    live,
    cluster: {
      adapter: createAdapter(client, {
        streamName: `${prefix}socket.io`,
        channelPrefix: `${prefix}socket.io`,
      }),
      close: async () => {
        await client.quit().catch(() => undefined);
      },
    },
  };
}

/** Where the data is, for the start-up lines: never the database password. */
function storageLine(config: ServerConfig): string {
  if (!config.database) return config.dataDir;
  const url = new URL(config.database.url);
  const schema = config.database.schema ? `, schema ${config.database.schema}` : '';
  return `PostgreSQL ${url.host}${url.pathname}${schema}`;
}
