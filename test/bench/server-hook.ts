/**
 * A bench-only side door into the server process, started by bench-server.ts before the
 * server itself; never part of the production server. It listens on its own 127.0.0.1 port:
 *
 *   GET /memory        process.memoryUsage()
 *   GET /memory?gc=1   the same after two forced garbage collections (needs --expose-gc)
 *   GET /tcp           bytes this process has written to TCP sockets it accepted, in total
 *                      and for the hook's own sockets
 *
 * Why /tcp: /proc/<pid>/io counts socket writes in `wchar` along with file writes. The TCP
 * total lets the bench split `wchar` into network and storage. Sockets are seen through the
 * `net.server.socket` diagnostics channel, so the server's code is not touched.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TcpBytes {
  /** Written to every accepted TCP socket, open or closed, this hook's included. */
  all: number;
  /** Written to this hook's own sockets (its answers). */
  hook: number;
  openSockets: number;
}

const open = new Map<Socket, boolean>();
let closedAll = 0;
let closedHook = 0;
let hookPort = -1;

function onSocket(message: unknown): void {
  const socket = (message as { socket?: Socket }).socket;
  if (!socket) return;
  const isHook = socket.localPort === hookPort;
  open.set(socket, isHook);
  socket.once('close', () => {
    open.delete(socket);
    closedAll += socket.bytesWritten;
    if (isHook) closedHook += socket.bytesWritten;
  });
}

function tcpBytes(): TcpBytes {
  let all = closedAll;
  let hook = closedHook;
  for (const [socket, isHook] of open) {
    all += socket.bytesWritten;
    if (isHook) hook += socket.bytesWritten;
  }
  return { all, hook, openSockets: open.size };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Starts the hook; resolves with its URL once it listens. */
export async function startServerHook(): Promise<string> {
  subscribe('net.server.socket', onSocket);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hook');
    let body: unknown;
    if (url.pathname === '/tcp') body = tcpBytes();
    else if (url.pathname === '/memory') {
      if (url.searchParams.get('gc') === '1') {
        if (!gc) body = { error: 'start the server with --expose-gc' };
        // Twice: the first pass can leave objects with finalizers for the second.
        gc?.();
        gc?.();
      }
      body ??= process.memoryUsage();
    }
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookPort = (server.address() as AddressInfo).port;
  // The hook must not keep the process alive once the server has closed.
  server.unref();
  return `http://127.0.0.1:${hookPort}`;
}
