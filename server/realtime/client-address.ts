import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config.ts';

/**
 * The client's address as rate limits should see it, by the same rule as Express's
 * `trust proxy` (so a socket and a request from one client count as one): proxies we trust
 * are skipped in `X-Forwarded-For`, and whatever came before them is ignored.
 */
export function clientAddress(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted =
    trust === false
      ? () => false
      : typeof trust === 'number'
        ? (_address: string, hop: number) => hop < trust
        : proxyaddr.compile(trust);
  return (request) => proxyaddr(request, trusted);
}
