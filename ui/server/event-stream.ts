import type { ServerResponse } from 'node:http';

export interface EventStream {
  /** writes one event with its id; ignored once closed */
  send(event: string, data: unknown, id: string): void;
  /** ends the response; safe to call twice */
  close(): void;
  readonly closed: boolean;
}

export interface EventStreamOptions {
  heartbeatMs: number;
  /** reconnection delay the browser should use, ms */
  retryMs?: number;
  /** a client that lets this much pile up unread is dropped; it reconnects and gets a fresh snapshot. Default 1 MiB */
  maxBufferedBytes?: number;
  /** called once when the stream ends, with why */
  onClose?: (reason: 'ended' | 'slow-client' | 'signed-out') => void;
  /** checked at every heartbeat; the stream ends when it says no (the session ended) */
  stillAllowed?: () => boolean;
}

/**
 * A server-sent-event stream over one HTTP response: numbered events,
 * a comment line as heartbeat so proxies and browsers keep the connection,
 * and one close path whether the client left or the server is shutting down.
 */
export function createEventStream(res: ServerResponse, options: EventStreamOptions): EventStream {
  let closed = false;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: ${options.retryMs ?? 3000}\n\n`);
  const heartbeat = setInterval(() => {
    if (closed) return;
    if (options.stillAllowed && !options.stillAllowed()) end('signed-out');
    else res.write(': heartbeat\n\n');
  }, options.heartbeatMs);

  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const end = (reason: 'ended' | 'slow-client' | 'signed-out'): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    if (reason === 'slow-client') res.destroy();
    else if (!res.writableEnded) res.end();
    options.onClose?.(reason);
  };
  const close = (): void => end('ended');
  res.on('close', close);

  return {
    send(event, data, id) {
      if (closed) return;
      res.write(sseFrame(event, data, id));
      if (res.writableLength > maxBuffered) end('slow-client');
    },
    close,
    get closed() {
      return closed;
    },
  };
}

/** One server-sent event as it goes on the wire: its id, its type and its data as JSON. */
export function sseFrame(event: string, data: unknown, id: string): string {
  const lines = JSON.stringify(data)
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n');
  return `id: ${id.replace(/[\r\n]/g, '')}\nevent: ${event}\n${lines}\n\n`;
}

/** The open streams of one app, so a graceful shutdown can end them. */
export interface StreamRegistry {
  add(stream: EventStream): void;
  delete(stream: EventStream): void;
  closeAll(): void;
  readonly size: number;
}

export function createStreamRegistry(): StreamRegistry {
  const streams = new Set<EventStream>();
  return {
    add: (s) => void streams.add(s),
    delete: (s) => void streams.delete(s),
    closeAll() {
      for (const s of [...streams]) s.close();
      streams.clear();
    },
    get size() {
      return streams.size;
    },
  };
}
