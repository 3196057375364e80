// Runs `npm run build` when the widget or agent bundles are missing or older than their
// sources, so `npm start` always serves what the source says. Also used by the e2e tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const sources = [
  'widget',
  'agent-ui',
  'protocol',
  'vite.widget.config.ts',
  'vite.agent.config.ts',
  'package-lock.json',
];
const outputs = ['dist/widget/widget.js', 'dist/agent/index.html'];

function newest(path) {
  const full = join(root, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((entry) => newest(join(path, entry))));
}

export function buildIfStale() {
  const built = Math.min(
    ...outputs.map((o) => (existsSync(join(root, o)) ? statSync(join(root, o)).mtimeMs : 0)),
  );
  const changed = Math.max(...sources.map(newest));
  if (built > changed) return false;
  console.log(built === 0 ? 'Building the widget and agent page…' : 'Sources changed: rebuilding…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
  return true;
}

if (process.argv[1] === import.meta.filename) buildIfStale();
