/**
 * A customer's site on an origin of its own (`http://localhost:<port>`, while the help server
 * is on 127.0.0.1): a few static pages and assets, and a record of every request it got, so
 * a test can tell who talked to the site.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SiteFile {
  type: string;
  body: string | Buffer;
}

export interface ThirdPartySite {
  origin: string;
  /** Every request, in order: path and the headers it came with. */
  hits: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startThirdPartySite(
  files: Record<string, SiteFile>,
): Promise<ThirdPartySite> {
  const hits: ThirdPartySite['hits'] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    hits.push({ path, headers: req.headers });
    const file = files[path];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    hits,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
