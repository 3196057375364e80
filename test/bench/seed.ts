/**
 * The bench's only contact with the server's own code (server/**): filling a data directory
 * through the store's API before the server starts, and running the server with the bench's
 * settings. When the store is rewritten, this is the file to adapt; nothing else in
 * test/bench imports from server/.
 *
 * The store is `LocalStore` (server/store/local-store.ts). Records are written through its
 * public methods only (`open`, `addHelper`, `createConversation`, `appendMessage`,
 * `saveConversation`, `archiveEnded`, `close`), so what lands on disk is what the server itself
 * would write.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ClientDetails } from '../../protocol/domain.ts';
import { configFromEnv, defaultConfig } from '../../server/config.ts';
import { hashPassword, hashToken } from '../../server/desk/secrets.ts';
import type { ConversationRecord } from '../../server/domain/conversation-types.ts';
import { runServer } from '../../server/run.ts';
import { LocalStore } from '../../server/store/local-store.ts';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import type { Store } from '../../server/store/store.ts';
import { SEEDED_MESSAGES, seededMessage, seededVisitor } from './seeded-text.ts';

/** Store calls in flight at once while seeding: enough to share the store's writes. */
const SEED_CHUNK = 5000;

/** What a help request from a desktop Chrome stores; the size of a real record. */
const DETAILS: ClientDetails = {
  pageUrl: 'https://shop.example/checkout?step=2',
  pageTitle: 'Checkout — Shop',
  referrer: 'https://shop.example/cart',
  languages: ['en-GB', 'en'],
  timezone: 'Europe/London',
  screen: { width: 1920, height: 1080 },
  viewport: { width: 1280, height: 720 },
  pixelRatio: 1,
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  agent: {
    browser: { name: 'Chrome', version: '131.0.0.0' },
    engine: { name: 'Blink', version: '131.0.0.0' },
    os: { name: 'Windows', version: '10' },
    device: { type: 'desktop' },
  },
};

export interface SeededHelper {
  id: string;
  name: string;
}

/** Helper accounts `bench-01`…, all with `password` (hashed once: scrypt is slow on purpose). */
export function seedHelpers(dataDir: string, count: number, password: string) {
  return seedHelpersInto(() => LocalStore.open(dataDir), count, password);
}

/** The same helpers in a PostgreSQL schema (the scale section), through the store's API. */
export function seedHelpersInDatabase(
  database: { url: string; schema: string },
  count: number,
  password: string,
) {
  return seedHelpersInto(() => PostgresStore.open(database), count, password);
}

async function seedHelpersInto(
  open: () => Promise<Store>,
  count: number,
  password: string,
): Promise<SeededHelper[]> {
  const store = await open();
  try {
    const passwordHash = await hashPassword(password);
    const helpers = Array.from({ length: count }, (_, i) => ({
      id: `bench-helper-${i + 1}`,
      name: `bench-${String(i + 1).padStart(2, '0')}`,
    }));
    for (const helper of helpers) {
      await store.addHelper({ ...helper, passwordHash, createdAt: new Date().toISOString() });
    }
    return helpers;
  } finally {
    await store.close();
  }
}

/**
 * `count` conversations that were assigned to `helper` and have ended, created and ended the
 * way the help desk does it (create, the messages, then save as ended), then moved to the
 * archive as the server does once their time in memory is up. Each has its own visitor and
 * messages (seeded-text.ts), so a history search has words to find. Calls go `SEED_CHUNK` at a time, so the
 * journal's group commit and the archive's batches share their writes.
 */
export async function seedEndedConversations(
  dataDir: string | { url: string; schema: string },
  count: number,
  helper: SeededHelper,
  onProgress: (done: number) => void = () => {},
): Promise<void> {
  // A data directory, or a PostgreSQL schema (`history-postgres`), which has no archive step.
  const store: Store =
    typeof dataDir === 'string'
      ? await LocalStore.open(dataDir)
      : await PostgresStore.open(dataDir);
  try {
    const created = Date.now() - count * 60_000;
    for (let start = 0; start < count; start += SEED_CHUNK) {
      const chunk = Array.from({ length: Math.min(SEED_CHUNK, count - start) }, (_, i) => {
        const at = created + (start + i) * 60_000;
        return {
          ...conversation(helper, new Date(at).toISOString()),
          visitor: seededVisitor(start + i),
        };
      });
      await Promise.all(chunk.map((record) => store.createConversation(record)));
      // The messages, one round at a time so each conversation's stay in order.
      for (let m = 0; m < SEEDED_MESSAGES; m++) {
        await Promise.all(
          chunk.map((record, i) => store.appendMessage(record.id, seededMessage(start + i, m))),
        );
      }
      await Promise.all(
        chunk.map((record, i) =>
          store.saveConversation({
            ...record,
            version: record.version + 1,
            status: 'ended',
            // Answered after 5 s to 4 min, so the reports have waits to sum (section reports).
            answeredAt: new Date(
              Date.parse(record.createdAt) + 5_000 + ((i * 7919) % 235) * 1000,
            ).toISOString(),
            endedAt: new Date(Date.parse(record.createdAt) + 300_000).toISOString(),
          }),
        ),
      );
      // As if their ten minutes in memory were over.
      if (store instanceof LocalStore) await store.archiveEnded(Date.now() + 24 * 3_600_000);
      onProgress(start + chunk.length);
    }
  } finally {
    await store.close();
  }
  if (typeof dataDir !== 'string') await settle(dataDir);
}

/**
 * What autovacuum does within a minute or so of this many writes, done now so the bench
 * does not measure the moment before it: dead row versions of the updates cleared, the GIN
 * index's pending entries merged, and statistics the planner needs to choose an index.
 */
async function settle(database: { url: string; schema: string }): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    for (const table of ['conversations', 'messages']) {
      await client.query(`VACUUM ANALYZE ${database.schema}.${table}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * `count` open conversations assigned to `helper`, each with its own visitor token, so that
 * many visitor sockets can connect without making `count` help requests first. Returns the
 * tokens (the store keeps only their hashes, as for real requests).
 */
export async function seedOpenConversations(
  dataDir: string | { url: string; schema: string },
  count: number,
  helper: SeededHelper,
  onProgress: (done: number) => void = () => {},
  /** `waiting`: in the queue instead, nobody's yet (a minute apart, in queue order). */
  status: 'assigned' | 'waiting' = 'assigned',
): Promise<string[]> {
  // A data directory, or a PostgreSQL schema (the scale section).
  const store: Store =
    typeof dataDir === 'string'
      ? await LocalStore.open(dataDir)
      : await PostgresStore.open(dataDir);
  const tokens: string[] = [];
  try {
    for (let start = 0; start < count; start += SEED_CHUNK) {
      const chunk = Array.from({ length: Math.min(SEED_CHUNK, count - start) }, () => {
        const token = randomBytes(32).toString('base64url');
        tokens.push(token);
        const createdAt = new Date(Date.now() - (count - tokens.length) * 60_000).toISOString();
        const record = { ...conversation(helper, createdAt), visitorTokenHash: hashToken(token) };
        if (status === 'assigned') return record;
        const { helperId: _h, helperName: _n, assignedAt: _a, ...waiting } = record;
        return { ...waiting, status: 'waiting' as const };
      });
      await Promise.all(chunk.map((record) => store.createConversation(record)));
      onProgress(start + chunk.length);
    }
    return tokens;
  } finally {
    await store.close();
  }
}

function conversation(helper: SeededHelper, createdAt: string): ConversationRecord {
  return {
    id: randomUUID(),
    version: 1,
    status: 'assigned',
    priority: 0,
    joinCode: String(randomInt(0, 1_000_000_000)).padStart(9, '0'),
    visitorTokenHash: hashToken(randomBytes(32).toString('base64url')),
    helperId: helper.id,
    helperName: helper.name,
    details: DETAILS,
    visitor: {},
    firstMessage: 'Hello, I cannot find where to enter my discount code.',
    createdAt,
    assignedAt: createdAt,
  };
}

/**
 * Runs the server as `npm start` does (config from the environment), with the help-request
 * and chat limits raised and per-address limits out of the way: every simulated visitor comes
 * from 127.0.0.1 and types far faster than a person, and the bench measures the paths behind
 * the limiters, not the limiters.
 */
export async function runBenchServer(env: NodeJS.ProcessEnv): Promise<void> {
  const { config, listen } = configFromEnv(env);
  // The flood section measures the limits themselves: the server runs as configured.
  if (env.BENCH_REAL_LIMITS === '1') return runServer(config, listen);
  await runServer(
    defaultConfig({
      ...config,
      helpRequestRate: { burst: 100_000, perSecond: 100_000 },
      chatRate: { burst: 1000, perSecond: 1000 },
      perIpFactor: 1_000_000,
    }),
    listen,
  );
}
