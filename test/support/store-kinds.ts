/** The `Store` implementations the contract suite runs against, each opened fresh. */

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LocalStore } from '../../server/store/local-store.ts';
import { PostgresStore } from '../../server/store/postgres/postgres-store.ts';
import type { Store } from '../../server/store/store.ts';

export interface StoreKind {
  name: string;
  /** How a child process opens the same store: `openStore(kind, where)`. */
  child(): Promise<{ kind: string; where: string; dispose(): Promise<void> }>;
  open(): Promise<{
    store: Store;
    /**
     * Closes the store and opens it again on the same data, as a restart would; with
     * `withoutSearchIndex`, as a store from before history search had one (nothing indexed);
     * with `withoutReports`, as a store from before reports (nothing counted); with
     * `withoutVisitorIndex`, as a store from before returning visitors were looked up (the
     * embedded archive's visitors' index gone; PostgreSQL's indexes are over the records
     * themselves, so it has nothing to lose).
     */
    reopen(options?: {
      withoutSearchIndex?: boolean;
      withoutReports?: boolean;
      withoutVisitorIndex?: boolean;
    }): Promise<Store>;
    dispose(): Promise<void>;
  }>;
  /** Moves ended conversations to long-term storage now, where the kind has such a step. */
  archive?(store: Store): Promise<void>;
}

const local: StoreKind = {
  name: 'local (lowdb + journal + archive)',
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'help-store-'));
    let store = await LocalStore.open(dir);
    return {
      store,
      async reopen(options = {}) {
        await store.close();
        if (options.withoutSearchIndex) {
          await rm(join(dir, 'archive', 'search'), { recursive: true, force: true });
        }
        if (options.withoutReports) {
          await rm(join(dir, 'archive', 'reports'), { recursive: true, force: true });
        }
        if (options.withoutVisitorIndex) {
          await rm(join(dir, 'archive', 'visitors'), { recursive: true, force: true });
        }
        store = await LocalStore.open(dir);
        return store;
      },
      async dispose() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  async child() {
    const dir = await mkdtemp(join(tmpdir(), 'help-store-'));
    return { kind: 'local', where: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
  },
  async archive(store) {
    if (!(store instanceof LocalStore)) throw new Error('not a local store');
    // As if the time ended conversations stay in memory had passed.
    await store.archiveEnded(Date.now() + 24 * 3_600_000);
  },
};

/** PostgreSQL: each store opened in a schema of its own, dropped afterwards. */
function postgres(url: string): StoreKind {
  const newSchema = () => `help_test_${randomBytes(8).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const drop = (schema: string) => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = newSchema();
      let store = await PostgresStore.open({ url, schema });
      return {
        store,
        async reopen(options = {}) {
          await store.close();
          if (options.withoutSearchIndex) {
            await run(`UPDATE ${schema}.conversations SET search = NULL`);
          }
          if (options.withoutReports) {
            await run(`TRUNCATE ${schema}.report_entries, ${schema}.report_hours`);
          }
          store = await PostgresStore.open({ url, schema });
          return store;
        },
        async dispose() {
          await store.close();
          await drop(schema);
        },
      };
    },
    async child() {
      const schema = newSchema();
      return {
        kind: 'postgres',
        where: JSON.stringify({ url, schema }),
        dispose: () => drop(schema),
      };
    },
  };
}

/** The local store always; PostgreSQL when the machine has it (see services.ts). */
export function storeKinds(database: string | undefined): StoreKind[] {
  return database ? [local, postgres(database)] : [local];
}

/** Opens a store from what `child()` said, in this process. */
export async function openStore(kind: string, where: string): Promise<Store> {
  if (kind === 'local') return LocalStore.open(where);
  if (kind === 'postgres') return PostgresStore.open(JSON.parse(where));
  throw new Error(`no store kind ${kind}`);
}
