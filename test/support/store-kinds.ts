/** The `Store` implementations the contract suite runs against, each opened fresh. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStore } from '../../server/store/local-store.ts';
import type { Store } from '../../server/store/store.ts';

export interface StoreKind {
  name: string;
  /** How a child process opens the same store: `openStore(kind, where)`. */
  child(): Promise<{ kind: string; where: string; dispose(): Promise<void> }>;
  open(): Promise<{
    store: Store;
    /** Closes the store and opens it again on the same data, as a restart would. */
    reopen(): Promise<Store>;
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
      async reopen() {
        await store.close();
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

export function storeKinds(): StoreKind[] {
  return [local];
}

/** Opens a store from what `child()` said, in this process. */
export async function openStore(kind: string, where: string): Promise<Store> {
  if (kind === 'local') return LocalStore.open(where);
  throw new Error(`no store kind ${kind}`);
}
