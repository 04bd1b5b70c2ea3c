export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface SseClient {
  status: number;
  contentType: string | null;
  /** the next event (comments and the retry line skipped) */
  next(timeoutMs?: number): Promise<ReceivedEvent>;
  /** events already received and not yet taken with next() */
  readonly pending: number;
  /** how many heartbeat comments were seen so far */
  readonly heartbeats: number;
  close(): void;
}

/** A minimal event-stream reader over fetch, for tests. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  if (!res.body) throw new Error('no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let heartbeats = 0;
  // a read still under way when next() timed out is kept for the next call, so no chunk is lost
  let reading: ReturnType<typeof reader.read> | undefined;
  const queue: ReceivedEvent[] = [];

  const parseBlocks = (): void => {
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) heartbeats += 1;
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) queue.push({ id, event, data: JSON.parse(data.join('\n')) });
    }
  };

  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    get pending() {
      return queue.length;
    },
    get heartbeats() {
      return heartbeats;
    },
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event within timeout');
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([(reading ??= reader.read()), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left)))]);
        clearTimeout(timer);
        if (chunk === 'timeout') throw new Error('no event within timeout');
        reading = undefined;
        if (chunk.done) throw new Error('stream ended');
        buffer += chunk.value;
        parseBlocks();
      }
      return queue.shift() as ReceivedEvent;
    },
    close: () => abort.abort(),
  };
}
