/** OutboxStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import type { AlertStore } from './alert-store.ts';
import type { OutboxMessage, OutboxStore } from './outbox-store.ts';
import { alert, T0 } from './store-contract-rows.ts';

/** `store` writes alerts too: each alert transition is the outbox row it writes. */
export function outboxStoreContract(store: () => OutboxStore & AlertStore): void {
  it('records each alert transition once and delivers at least once', async () => {
    await store().writeAlerts([alert('ob', 'o1', 'active', T0)]);
    await store().writeAlerts([alert('ob', 'o1', 'active', T0), alert('ob', 'o1', 'acknowledged', T0 + 1)]);
    const mine = (list: OutboxMessage[]): OutboxMessage[] => list.filter((m) => (m.payload as Alert).site === 'ob');
    const claimed = mine(await store().claimOutbox(100, 300));
    expect(claimed.map((m) => [m.topic, (m.payload as Alert).state, m.attempts])).toEqual([
      ['alert', 'active', 1],
      ['alert', 'acknowledged', 1],
    ]);
    expect(mine(await store().claimOutbox(100))).toEqual([]); // leased to the first claimer
    await store().markDelivered([claimed[0]!.id]);
    // the undelivered one's lease runs out (a notifier that died): it is delivered again
    await new Promise((r) => setTimeout(r, 400));
    const again = mine(await store().claimOutbox(100));
    expect(again.map((m) => [m.id, m.attempts])).toEqual([[claimed[1]!.id, 2]]);
    await store().markDelivered(again.map((m) => m.id));
    await new Promise((r) => setTimeout(r, 400));
    expect(mine(await store().claimOutbox(100, 0))).toEqual([]);
  });
}
