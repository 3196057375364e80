/**
 * What each part we serve tells the browser: the agent page may run only its own scripts and
 * be framed only by itself, nothing is sniffed, API answers are never cached. Real files in
 * real folders, served by the real app.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/server-harness.ts';

const SITE = 'https://shop.example';
let h: Harness;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'help-static-'));
  const files: Record<string, string> = {
    'widget/widget.js': 'export {};',
    'agent/index.html': '<!doctype html><title>Helpers</title>',
    'demo/index.html': '<!doctype html><title>Demo</title>',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  h = await startHarness({
    allowedOrigins: [SITE],
    staticDirs: {
      widget: join(root, 'widget'),
      agent: join(root, 'agent'),
      demo: join(root, 'demo'),
    },
  });
});
afterAll(async () => {
  await h.stop();
  await rm(root, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${h.url}${path}`);
  await response.arrayBuffer();
  return response;
};

/** A CSP header as directive → sources. */
function directives(header: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

describe('security headers', () => {
  it('the agent page runs only its own scripts, loads only its own images and fonts, and is framed only by itself', async () => {
    const page = await get('/agent/');
    expect(page.status).toBe(200);
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'"]);
    // Mirror mode's replay (a frame of this page) carries the visitor's page's inline styles;
    // nothing it shows may load from the visitor's site.
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['img-src']).toEqual(["'self'", 'data:']);
    expect(csp['font-src']).toEqual(["'self'", 'data:']);
    expect(csp['media-src']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'self'"]);
    // Follow mode frames the visitor's page: only sites allowed to embed the widget.
    expect(csp['frame-src']).toEqual(["'self'", SITE]);
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    // A copy opened in its own window talks to the page through `opener`.
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('nothing is sniffed, anywhere', async () => {
    for (const path of ['/agent/', '/widget.js', '/', '/api/health', '/api/nothing']) {
      expect((await get(path)).headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('the widget stays loadable by other sites and is not framed by rules meant for our pages', async () => {
    const widget = await get('/widget.js');
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    expect(widget.headers.get('cross-origin-resource-policy')).toBeNull();
    expect(widget.headers.get('content-security-policy')).toBeNull();
    expect(widget.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect((await get('/')).headers.get('x-frame-options')).toBeNull();
  });

  it('API answers are never stored, signed in or not', async () => {
    for (const path of ['/api/agent/session', '/api/health', '/api/agent/history', '/api/x']) {
      const response = await get(path);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('says nothing about what runs the server', async () => {
    expect((await get('/api/health')).headers.get('x-powered-by')).toBeNull();
  });
});
