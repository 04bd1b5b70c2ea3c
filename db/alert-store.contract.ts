/** AlertStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import type { AlertStore } from './alert-store.ts';
import { alert, T0 } from './store-contract-rows.ts';

export function alertStoreContract(store: () => AlertStore): void {
  it('upserts alerts and appends every transition', async () => {
    await store().writeAlerts([alert('alr', 'a1', 'active', T0), alert('alr', 'a2', 'active', T0 + 10)]);
    await store().writeAlerts([alert('alr', 'a1', 'acknowledged', T0 + 100)]);
    let open = await store().openAlerts('alr');
    expect(open.map((a) => [a.id, a.state])).toEqual([
      ['a1', 'acknowledged'],
      ['a2', 'active'],
    ]);
    expect(open[0]).toEqual(alert('alr', 'a1', 'acknowledged', T0 + 100));
    await store().writeAlerts([alert('alr', 'a1', 'cleared', T0 + 200)]);
    open = await store().openAlerts('alr');
    expect(open.map((a) => a.id)).toEqual(['a2']);
    const history = await store().alertHistory('a1');
    expect(history.map((h) => [h.state, h.at])).toEqual([
      ['active', T0],
      ['acknowledged', T0 + 100],
      ['cleared', T0 + 200],
    ]);
    expect(history[2]?.alert).toEqual(alert('alr', 'a1', 'cleared', T0 + 200));
  });

  it('returns open alerts whole, with their lifecycle and incident, so a restart restores them', async () => {
    const acknowledged: Alert = {
      ...alert('lfc', 'l1', 'active', T0 + 50),
      lifecycle: { condition: 'active', acknowledged: true, escalations: 1, shelved: { by: 'li', until: T0 + 9000, reason: 'maintenance' } },
      transition: { at: T0 + 50, by: 'li', action: 'acknowledge', comment: 'crew on the way' },
    };
    await store().writeAlerts([alert('lfc', 'l1', 'active', T0), acknowledged]);
    expect(await store().openAlerts('lfc')).toEqual([acknowledged]);
  });

  it('records a retried alert transition once', async () => {
    await store().writeAlerts([alert('rty', 'r1', 'active', T0)]);
    await store().writeAlerts([alert('rty', 'r1', 'active', T0)]);
    expect((await store().alertHistory('r1')).map((h) => h.state)).toEqual(['active']);
  });

  it("returns a site's alerts of one kind raised within a range, every transition of each (a history review)", async () => {
    const warn = (id: string, state: Alert['state'], at: number, raisedAt: number): Alert => ({ ...alert('hist', id, state, at), kind: 'hazard-lightning', raisedAt });
    await store().writeAlerts([warn('w1', 'active', T0, T0), { ...alert('hist', 'f1', 'active', T0 + 5), kind: 'hazard-tank-fire' }, warn('w2', 'active', T0 + 9000, T0 + 9000)]);
    await store().writeAlerts([warn('w1', 'cleared', T0 + 3000, T0), { ...warn('x1', 'active', T0 + 10, T0 + 10), site: 'hist-other' }]);
    const got = await store().alertTransitionsOf('hist', 'hazard-lightning', T0, T0 + 8000);
    expect(got.map((t) => [t.alert.id, t.state, t.at])).toEqual([
      ['w1', 'active', T0],
      ['w1', 'cleared', T0 + 3000],
    ]);
    expect((await store().alertTransitionsOf('hist', 'hazard-lightning', T0, T0 + 9000)).map((t) => t.alert.id)).toEqual(['w1', 'w1', 'w2']);
  });
}
