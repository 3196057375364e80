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
    // What visitors get is a production build; under Vitest NODE_ENV is "test", and Vite would
    // then pick Lit's development build (warnings included), measuring KBs nobody downloads.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({
      configFile: resolve(import.meta.dirname, '../../vite.widget.config.ts'),
      logLevel: 'silent',
      build: { outDir: dir },
    }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
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

  it('keeps what sharing a page adds (prompt and recorder) within 30 KB gzip', () => {
    // Both lazy chunks are there, and neither drags in what the chat already brought.
    expect(sizes.mirror.files.some((f) => /recorder-/.test(f))).toBe(true);
    expect(sizes.mirror.files.some((f) => /mirror-share-/.test(f))).toBe(true);
    expect(sizes.mirror.files.some((f) => /chat-panel-/.test(f))).toBe(false);
    expect(sizes.mirror.gzip).toBeLessThanOrEqual(BUDGETS.mirrorGzip);
  });
});
