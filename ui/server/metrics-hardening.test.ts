/** /metrics carries the counts issue 18 asked for: writer dead letters per lane, audit entries on disk, webhook dead letters and their automatic retries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';

let server: SecuredServer;
let retries = 1;
beforeAll(async () => {
  const site = await loadDemoSite();
  server = await startSecuredServer([site], {
    metrics: {
      writer: () => ({ buffered: 0, written: 10, dropped: 0, deadLetters: { samples: 0, results: 0, scores: 0, alerts: 1, audit: 2 }, auditPending: 3 }),
      webhooks: () => [{ subscriber: 'hazmat-desk', pending: 4, delivered: 7, deadWaiting: 1, deadFinal: 2, autoRetries: retries }],
    },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('/metrics', () => {
  it('counts dead letters of the writer and of the webhooks', async () => {
    const admin = await server.as('admin');
    let text = await (await admin.fetch('/metrics')).text();
    expect(text).toContain('ketwin_db_writer_dead_letters_total{lane="alerts"} 1');
    expect(text).toContain('ketwin_db_writer_dead_letters_total{lane="audit"} 2');
    expect(text).toContain('ketwin_db_writer_audit_pending 3');
    expect(text).toContain('ketwin_webhook_dead_letters{subscriber="hazmat-desk",state="waiting"} 1');
    expect(text).toContain('ketwin_webhook_dead_letters{subscriber="hazmat-desk",state="final"} 2');
    expect(text).toContain('ketwin_webhook_pending{subscriber="hazmat-desk"} 4');
    expect(text).toContain('ketwin_webhook_delivered_total{subscriber="hazmat-desk"} 7');
    expect(text).toContain('ketwin_webhook_dead_letter_retries_total{subscriber="hazmat-desk"} 1');
    retries = 3;
    text = await (await admin.fetch('/metrics')).text();
    expect(text).toContain('ketwin_webhook_dead_letter_retries_total{subscriber="hazmat-desk"} 3');
  });
});
