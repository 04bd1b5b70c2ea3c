/** /metrics carries each durable queue's figures (queue/): rows, bytes, segment files, rows dropped at the bound, damaged lines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';

let server: SecuredServer;
let dropped = 5;
beforeAll(async () => {
  const site = await loadDemoSite();
  server = await startSecuredServer([site], {
    metrics: {
      queues: () => [
        { queue: 'collector-buffer', rows: 1200, bytes: 64_000, segments: 2, dropped, corrupt: 1 },
        { queue: 'notify-journal', rows: 3, bytes: 900, segments: 1, dropped: 0, corrupt: 0 },
      ],
    },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('/metrics', () => {
  it('gives every durable queue its rows, bytes, segments, and running totals of dropped rows and damaged lines', async () => {
    const admin = await server.as('admin');
    let text = await (await admin.fetch('/metrics')).text();
    expect(text).toContain('ketwin_queue_rows{queue="collector-buffer"} 1200');
    expect(text).toContain('ketwin_queue_bytes{queue="collector-buffer"} 64000');
    expect(text).toContain('ketwin_queue_segments{queue="notify-journal"} 1');
    expect(text).toContain('ketwin_queue_dropped_rows_total{queue="collector-buffer"} 5');
    expect(text).toContain('ketwin_queue_corrupt_lines_total{queue="collector-buffer"} 1');
    dropped = 9;
    text = await (await admin.fetch('/metrics')).text();
    expect(text).toContain('ketwin_queue_dropped_rows_total{queue="collector-buffer"} 9');
  });
});
