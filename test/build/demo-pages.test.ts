/** The demo site's home page leads to every demo page, so each can be tried from there. */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const demo = resolve(import.meta.dirname, '../../demo');

describe('the demo site', () => {
  it('links every demo page from the home page', async () => {
    const pages = (await readdir(demo)).filter(
      (name) => name.endsWith('.html') && name !== 'index.html',
    );
    const home = await readFile(join(demo, 'index.html'), 'utf8');
    const linked = new Set([...home.matchAll(/href="\/([^"]+\.html)"/g)].map((match) => match[1]));
    expect(pages.length).toBeGreaterThan(4);
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });
});
