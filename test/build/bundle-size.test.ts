import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS, measureWidget, type WidgetSizes } from '../../scripts/bundle-size.ts';

describe('what a visitor downloads', () => {
  let dir: string;
  let sizes: WidgetSizes;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'help-size-'));
    await build({
      configFile: resolve(import.meta.dirname, '../../vite.widget.config.ts'),
      logLevel: 'silent',
      build: { outDir: dir },
    });
    sizes = measureWidget(dir);
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the loader within 8 KB gzip', () => {
    expect(sizes.loader.files).toEqual(['widget.js']);
    expect(sizes.loader.gzip).toBeLessThanOrEqual(BUDGETS.loaderGzip);
  });

  it('keeps everything downloaded by the first press within 35 KB gzip', () => {
    expect(sizes.firstOpen.files.length).toBeGreaterThan(1);
    expect(sizes.firstOpen.gzip).toBeLessThanOrEqual(BUDGETS.firstOpenGzip);
  });
});
