/**
 * Runs the real `npm run volunteer` command (server/cli/volunteer.ts) against a data dir, or
 * with the environment given (`HELP_DATABASE_URL`…).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

export function volunteer(dataDir: string, ...args: string[]) {
  return volunteerWith({ HELP_DATA_DIR: dataDir }, ...args);
}

export async function volunteerWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'server/cli/volunteer.ts', ...args],
      { cwd: root, env: { ...process.env, ...env } },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}
