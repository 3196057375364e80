import type { Request, RequestHandler, Response } from 'express';
import { sendError } from './errors.ts';
import type { OriginPolicy } from './origins.ts';

/**
 * CORS for the widget's REST calls, which come from the customer's site: answered for allowed
 * origins only, and an `Origin` header is required (a browser always sends one cross-origin).
 */
export function allowCors(req: Request, res: Response, origins: OriginPolicy): boolean {
  const origin = req.get('origin');
  res.vary('Origin');
  if (!origin) {
    sendError(res, 403, 'forbidden', 'an Origin header is required');
    return false;
  }
  if (!origins.isAllowed(origin)) {
    sendError(res, 403, 'forbidden', `origin ${origin} is not allowed to use this help server`);
    return false;
  }
  res.set('Access-Control-Allow-Origin', origin);
  return true;
}

/**
 * `allowCors` as a middleware. `sameOriginToo`: a request without an `Origin` header passes
 * (a same-origin GET carries none) — only for answers that hold nothing secret.
 */
export function cors(origins: OriginPolicy, { sameOriginToo = false } = {}): RequestHandler {
  return (req, res, next) => {
    if (sameOriginToo && !req.get('origin')) next();
    else if (allowCors(req, res, origins)) next();
  };
}

/** The answer to a preflight for one route. */
export function preflight(origins: OriginPolicy, methods: string, headers: string): RequestHandler {
  return (req, res) => {
    if (!allowCors(req, res, origins)) return;
    res.set({
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': headers,
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}
