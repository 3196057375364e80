import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Exact-match origin allowlist. Allowed: the configured embedding sites plus this server's
 * own origin (agent page, demo). No wildcards, no suffix matching.
 */
export class OriginPolicy {
  readonly #configured: ReadonlySet<string>;
  readonly #publicOrigin: string | undefined;
  readonly #server: Server;

  constructor(server: Server, configured: readonly string[], publicOrigin?: string) {
    this.#server = server;
    this.#configured = new Set(configured);
    this.#publicOrigin = publicOrigin;
  }

  /** This server's own origins; the port is read once listening, so port 0 works. */
  own(): string[] {
    const address = this.#server.address() as AddressInfo | null;
    const own = this.#publicOrigin ? [this.#publicOrigin] : [];
    if (address) {
      const port = address.port;
      own.push(`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`);
    }
    return own;
  }

  isOwn(origin: string): boolean {
    return this.own().includes(origin);
  }

  isAllowed(origin: string): boolean {
    return this.#configured.has(origin) || this.isOwn(origin);
  }

  /**
   * For a handshake (websocket upgrade or polling request). Browsers omit Origin only on
   * same-origin GETs, which they mark with `Sec-Fetch-Site: same-origin`; anything else
   * without an Origin is refused.
   */
  allowsRequest(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin) return this.isAllowed(origin);
    return request.headers['sec-fetch-site'] === 'same-origin';
  }
}
