/**
 * A load client holding silent visitor sockets (scenario-idle.ts): started with its share of
 * the visitor tokens, it says when they are all connected, and holds them until its stdin is
 * closed.
 */
import { type ClientChild, startClient } from './clients.ts';
import type { IdleResult } from './scenario-idle.ts';
import { clientEnv } from './settings.ts';

export interface IdleClient extends ClientChild {
  /** Its report once every socket of its share has connected. */
  connected: Promise<IdleResult>;
}

export function startIdleClient(options: {
  url: string;
  tokensFile: string;
  from?: number;
  count: number;
  openFiles: number;
  timeoutMs: number;
}): IdleClient {
  let reached: (result: IdleResult) => void = () => {};
  const connected = new Promise<IdleResult>((resolve) => {
    reached = resolve;
  });
  const client = startClient(
    [
      '--scenario',
      'idle',
      '--url',
      options.url,
      '--tokens-file',
      options.tokensFile,
      '--from',
      String(options.from ?? 0),
      '--count',
      String(options.count),
    ],
    {
      env: clientEnv(),
      timeoutMs: options.timeoutMs,
      stdin: 'pipe',
      openFiles: options.openFiles,
      onResult: (result) => {
        const idle = result as IdleResult;
        if (idle.stage === 'connected') reached(idle);
      },
    },
  );
  // A client that ends before connecting everyone ends the wait, with its error.
  const ended = client.done.then(() => {
    throw new Error('idle client ended before connecting');
  });
  return { ...client, connected: Promise.race([connected, ended]) };
}
