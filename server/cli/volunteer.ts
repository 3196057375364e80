/**
 * `npm run volunteer -- add NAME [--password PW] | list | remove NAME`
 * Manages helper accounts where the server keeps them: in PostgreSQL when HELP_DATABASE_URL is
 * set, else in the data directory (HELP_DATA_DIR, default ./data). Safe to run while the
 * server runs: the server reads accounts from there each time (helpers.json is re-read).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { helperNameSchema } from '../../protocol/schemas.ts';
import { databaseFromEnv, defaultConfig } from '../config.ts';
import { hashPassword, newId, newPassword } from '../desk/secrets.ts';
import type { HelperAccount } from '../domain/helper-types.ts';
import { HelperAccounts } from '../store/helper-accounts.ts';
import { PostgresStore } from '../store/postgres/postgres-store.ts';
import { StoreConflictError } from '../store/store.ts';

const USAGE = `usage:
  npm run volunteer -- add NAME [--password PASSWORD]
  npm run volunteer -- list
  npm run volunteer -- remove NAME`;

interface Accounts {
  list(): Promise<HelperAccount[]>;
  add(account: HelperAccount): Promise<void>;
  remove(name: string): Promise<HelperAccount | undefined>;
}

/** Only the accounts: the command never touches conversations, even while the server runs. */
async function openAccounts(): Promise<Accounts> {
  const database = databaseFromEnv(process.env);
  if (database) {
    const store = await PostgresStore.open(database);
    // One command, one answer: the connections close when the process exits.
    return {
      list: () => store.listHelpers(),
      add: (account) => store.addHelper(account),
      remove: (name) => store.removeHelper(name),
    };
  }
  const dataDir = process.env.HELP_DATA_DIR
    ? resolve(process.env.HELP_DATA_DIR)
    : defaultConfig().dataDir;
  await mkdir(dataDir, { recursive: true });
  return new HelperAccounts(dataDir);
}

async function run(args: string[]): Promise<number> {
  const accounts = await openAccounts();
  const [command, name, ...rest] = args;

  if (command === 'list' && !name) {
    const helpers = await accounts.list();
    if (helpers.length === 0) console.log('No helpers yet.');
    for (const h of helpers) console.log(`${h.name}\t(added ${h.createdAt.slice(0, 10)})`);
    return 0;
  }
  if (command === 'remove' && name && rest.length === 0) {
    const removed = await accounts.remove(name);
    console.log(removed ? `Removed helper "${removed.name}".` : `No helper named "${name}".`);
    return removed ? 0 : 1;
  }
  if (command === 'add' && name) {
    const parsedName = helperNameSchema.safeParse(name);
    if (!parsedName.success) {
      console.error(`Name "${name}": ${parsedName.error.issues[0]?.message}`);
      return 2;
    }
    let password: string | undefined;
    if (rest.length === 2 && rest[0] === '--password') password = rest[1];
    else if (rest.length > 0) {
      console.error(USAGE);
      return 2;
    }
    if (password !== undefined && password.length < 8) {
      console.error('Passwords need at least 8 characters.');
      return 2;
    }
    const chosen = password ?? newPassword();
    try {
      await accounts.add({
        id: newId(),
        name: parsedName.data,
        passwordHash: await hashPassword(chosen),
        createdAt: new Date().toISOString(),
      });
    } catch (error) {
      if (error instanceof StoreConflictError) {
        console.error(`A helper named "${parsedName.data}" already exists.`);
        return 1;
      }
      throw error;
    }
    console.log(`Added helper "${parsedName.data}".`);
    if (!password)
      console.log(`Password: ${chosen}\n(shown once; sign in at /agent/ and keep it safe)`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
