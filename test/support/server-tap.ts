/**
 * What one browser sent our server, heard at the server: for a driver that cannot see a page's
 * websocket frames (WebDriver BiDi has no websocket events yet, so puppeteer on Firefox
 * cannot). Every page of the test site talks to this server alone, so what arrives here from
 * the browser is what left it for us.
 */
import type { Server } from 'socket.io';

/** The engine.io packet a socket received (engine.io's `packet` event, on every transport). */
interface EnginePacket {
  type: string;
  data?: string | Buffer;
}

/**
 * Records, in order, every Socket.IO packet that reaches `io` from a browser whose user agent
 * matches `userAgent`, written as the browser wrote it (`42/visitor,["chat:send",…]`).
 */
export function recordArriving(io: Server, userAgent: RegExp): string[] {
  const arrived: string[] = [];
  io.engine.on('connection', (socket) => {
    if (!userAgent.test(socket.request.headers['user-agent'] ?? '')) return;
    socket.on('packet', (packet: EnginePacket) => {
      // `4` is engine.io's "message"; what follows is the Socket.IO packet.
      if (packet.type === 'message') arrived.push(`4${String(packet.data ?? '')}`);
    });
  });
  return arrived;
}
