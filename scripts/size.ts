/** `npm run size`: builds the widget and prints what a visitor downloads, against the budgets. */
import { resolve } from 'node:path';
import { build } from 'vite';
import { BUDGETS, measureWidget } from './bundle-size.ts';

const root = resolve(import.meta.dirname, '..');
await build({ configFile: resolve(root, 'vite.widget.config.ts'), logLevel: 'warn' });
const sizes = measureWidget(resolve(root, 'dist/widget'));
const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
const rows = [
  ['loader (widget.js)', sizes.loader, BUDGETS.loaderGzip],
  ['first open (loader + chat)', sizes.firstOpen, BUDGETS.firstOpenGzip],
  ['mirror mode (prompt + recorder)', sizes.mirror, BUDGETS.mirrorGzip],
] as const;
console.log('| download | files | raw | gzip | budget |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, bundle, budget] of rows) {
  const verdict = bundle.gzip <= budget ? 'ok' : 'OVER';
  console.log(
    `| ${name} | ${bundle.files.join(', ')} | ${kb(bundle.bytes)} | ${kb(bundle.gzip)} | ${kb(budget)} ${verdict} |`,
  );
}
process.exitCode = rows.every(([, b, budget]) => b.gzip <= budget) ? 0 : 1;
