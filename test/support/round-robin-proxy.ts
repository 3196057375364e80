/**
 * A tiny TCP load balancer for tests: each new connection goes to the next backend in turn,
 * and to the one after it when that one does not answer (a process that was killed). No
 * stickiness: fine for WebSocket-only clients, as the README says.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Which backend the next connection tries first. */
  next: number;
  /** When set, every connection tries this backend first (then the others, in turn). */
  pinned: number | undefined;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: () => string[]): Promise<RoundRobinProxy> {
  const open = new Set<Socket>();
  const proxy: RoundRobinProxy = {
    url: '',
    next: 0,
    pinned: undefined,
    close: async () => undefined,
  };

  const forward = (client: Socket, tries: number) => {
    const list = backends();
    if (tries >= list.length) {
      client.destroy();
      return;
    }
    const index = proxy.pinned === undefined ? proxy.next++ : proxy.pinned + tries;
    const target = new URL(list[index % list.length] ?? '');
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    let connected = false;
    upstream.on('error', () => {
      // Not answering: the next backend, with what the client already sent still buffered.
      if (!connected) forward(client, tries + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      open.add(upstream);
      upstream.once('close', () => open.delete(upstream));
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  };

  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    // Held until a backend answers.
    client.pause();
    forward(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
