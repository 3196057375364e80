/**
 * What a visitor downloads, measured from a built widget directory: the loader (widget.js and
 * what it imports statically) and everything fetched by the first press (the chat chunk, its
 * static imports, and the largest of the language files, since a visitor may get that one),
 * and what sharing a page in mirror mode adds to that (the prompt and the recorder). Sizes are
 * gzip at zlib's default level, as servers usually send them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Bundle {
  files: string[];
  bytes: number;
  gzip: number;
}

export interface WidgetSizes {
  loader: Bundle;
  firstOpen: Bundle;
  /** Loaded only when a helper asks to see the page and the visitor shares it. */
  mirror: Bundle;
}

export const BUDGETS = {
  loaderGzip: 8 * 1024,
  firstOpenGzip: 35 * 1024,
  mirrorGzip: 30 * 1024,
} as const;

// Minified output may quote with backticks.
const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["'`](\.{1,2}\/[^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g;

function importsOf(file: string, pattern: RegExp): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(pattern)].map((m) => join(dirname(file), m[1] ?? ''));
}

function withStaticImports(files: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of importsOf(file, STATIC_IMPORT)) visit(dep);
  };
  for (const file of files) visit(file);
  return [...seen];
}

function measure(dir: string, files: string[]): Bundle {
  let bytes = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(file);
    bytes += content.length;
    gzip += gzipSync(content).length;
  }
  return { files: files.map((f) => relative(dir, f)).sort(), bytes, gzip };
}

export function measureWidget(dir: string): WidgetSizes {
  const loader = withStaticImports([join(dir, 'widget.js')]);
  // The press loads the chat; the follow-mode code loads only in a helper's copy of a page.
  const lazy = loader
    .flatMap((file) => importsOf(file, DYNAMIC_IMPORT))
    .filter((file) => /chat-panel-[^/]*\.js$/.test(file));
  const firstOpen = withStaticImports([...loader, ...lazy]);
  const languages = loader
    .flatMap((file) => importsOf(file, DYNAMIC_IMPORT))
    .filter((file) => /\/(de|fr|es|ar)-[^/]*\.js$/.test(file))
    .map((file) => withStaticImports([file]).filter((f) => !firstOpen.includes(f)));
  const largest = languages
    .map((files) => ({ files, gzip: measure(dir, files).gzip }))
    .sort((a, b) => b.gzip - a.gzip)[0];
  const lazyOf = (files: string[], name: RegExp) =>
    files.flatMap((file) => importsOf(file, DYNAMIC_IMPORT)).filter((file) => name.test(file));
  const share = withStaticImports(lazyOf(firstOpen, /mirror-share-[^/]*\.js$/));
  const recorder = withStaticImports(lazyOf(share, /recorder-[^/]*\.js$/));
  const mirror = [...new Set([...share, ...recorder])].filter((f) => !firstOpen.includes(f));
  return {
    loader: measure(dir, loader),
    firstOpen: measure(dir, [...firstOpen, ...(largest?.files ?? [])]),
    mirror: measure(dir, mirror),
  };
}
