/**
 * The import rules of DESIGN.md, read from the source: the rules live in server/domain/
 * (pure: nothing but protocol/ and itself, no Node modules), the adapters reach the store
 * only through the desk, and nothing browser-side imports the server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Every module a file imports, resolved to a path from the root (or kept as a package name). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(([, spec = '']) =>
    spec.startsWith('.') ? relative(root, resolve(root, file, '..', spec)) : spec,
  );
}

function offending(dirs: string[], allowed: (spec: string) => boolean): string[] {
  return dirs.flatMap((dir) =>
    sources(dir).flatMap((file) =>
      importsOf(file)
        .filter((spec) => !allowed(spec))
        .map((spec) => `${file} imports ${spec}`),
    ),
  );
}

describe('imports point one way', () => {
  it('the conversation rules in server/domain/ import nothing but protocol/ and themselves', () => {
    // ua-parser-js is a pure function of the user-agent string: no I/O, no clock.
    const pure = (s: string) =>
      s.startsWith('server/domain/') || s.startsWith('protocol/') || s === 'ua-parser-js';
    expect(offending(['server/domain'], pure)).toEqual([]);
  });

  it('HTTP routes and socket handlers reach the store only through the desk', () => {
    expect(
      offending(['server/http', 'server/realtime'], (s) => !s.startsWith('server/store/')),
    ).toEqual([]);
  });

  it('protocol/ imports nothing of ours; the widget and agent page never import the server', () => {
    expect(offending(['protocol'], (s) => s.startsWith('protocol/') || s === 'zod')).toEqual([]);
    expect(offending(['widget', 'agent-ui'], (s) => !s.startsWith('server/'))).toEqual([]);
    expect(offending(['widget'], (s) => !s.startsWith('agent-ui/'))).toEqual([]);
  });
});
