/**
 * How every client (widget, follow copy, agent page) connects: WebSocket first, HTTP
 * long-polling only where a WebSocket cannot be opened (a proxy that blocks them). Socket.IO
 * starts with long-polling by default, and a long-polling session must reach the same server
 * process on every request: behind a load balancer that needs sticky sessions. WebSocket first,
 * only the fallback does (README, "Running more than one process").
 */
export const TRANSPORTS = {
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
} as const satisfies { transports: string[]; tryAllTransports: boolean };
