import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** End-to-end tests use the built widget and agent page, exactly as `npm start` serves them. */
export default function setup(): void {
  const result = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the widget and agent page failed');
}
