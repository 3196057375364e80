/**
 * The baseline for "how much does our server add": a bare Socket.IO relay, started by the
 * bench as a child process exactly like bench-server.ts and driven by the same load client.
 * No storage, no authentication, no validation: a visitor's `chat:send` is turned into a
 * `Message`, emitted to the conversation's room on /agent (where the helper's socket was put
 * when the visitor connected) and acknowledged. It prints `bare relay on http://…` once it
 * listens on 127.0.0.1; PORT=0 picks a free port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Message } from '../../protocol/domain.ts';
import { LIMITS } from '../../protocol/limits.ts';
import type {
  BareClientEvents,
  BareHelperAuth,
  BareServerEvents,
  BareVisitorAuth,
} from './bare-protocol.ts';

const httpServer = createServer();
// The same payload limit as the real server, so frames are parsed under the same rules.
const io = new Server<BareClientEvents, BareServerEvents>(httpServer, {
  maxHttpBufferSize: LIMITS.socketPayloadBytes,
});
const agents = io.of('/agent');
const visitors = io.of('/visitor');

agents.on('connection', (socket) => {
  const { helper } = socket.handshake.auth as BareHelperAuth;
  void socket.join(`helper:${helper}`);
  socket.emit('bare:ready');
});

visitors.on('connection', (socket) => {
  const { conversationId, helper } = socket.handshake.auth as BareVisitorAuth;
  const room = `conv:${conversationId}`;
  agents.in(`helper:${helper}`).socketsJoin(room);
  let seq = 0;
  socket.on('chat:send', (payload, ack) => {
    seq += 1;
    const message: Message = {
      id: payload.id,
      conversationId,
      seq,
      from: 'visitor',
      authorName: 'Visitor',
      text: payload.text,
      sentAt: new Date().toISOString(),
    };
    agents.to(room).emit('chat:message', message);
    ack({ ok: true, data: message });
  });
  socket.emit('bare:ready');
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  console.log(`bare relay on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    io.close(() => process.exit(0));
    httpServer.closeAllConnections();
  });
}
