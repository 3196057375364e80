/**
 * A person's side of a server that runs as its own process (or behind a proxy): the same
 * requests and sockets the harness makes in process, by URL. `origin` is what the browser
 * would send: the server's own address, or the one browsers use in front of it.
 */
import { io, type Socket } from 'socket.io-client';
import type { AgentClient, VisitorClient } from './server-harness.ts';
import { helpRequestBody } from './server-harness.ts';

/** Resolves once the socket connected; rejects with its connection error. */
export async function connected<S extends Socket>(socket: S): Promise<S> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** `POST /api/help-requests` as the widget makes it. */
export async function requestHelpAt(url: string, origin = url) {
  const created = await fetch(`${url}/api/help-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(helpRequestBody()),
  });
  if (created.status !== 201) throw new Error(`help request: HTTP ${created.status}`);
  return (await created.json()) as { conversationId: string; visitorToken: string };
}

/** A visitor's socket, not yet connected (await `connected`). */
export function visitorAt(
  url: string,
  token: string,
  options: { origin?: string; reconnect?: boolean } = {},
): VisitorClient {
  return io(`${url}/visitor`, {
    forceNew: true,
    auth: { token },
    extraHeaders: { origin: options.origin ?? url },
    transports: ['websocket'],
    ...(options.reconnect
      ? { reconnectionDelay: 100, reconnectionDelayMax: 200 }
      : { reconnection: false }),
  });
}

/** Signs a helper in over REST and opens their agent socket, not yet connected. */
export async function helperAt(
  url: string,
  name: string,
  password: string,
  origin = url,
): Promise<AgentClient> {
  const signIn = await fetch(`${url}/api/agent/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name, password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in ${name}: HTTP ${signIn.status}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return io(`${url}/agent`, {
    forceNew: true,
    extraHeaders: { origin, cookie },
    transports: ['websocket'],
    reconnection: false,
  });
}
