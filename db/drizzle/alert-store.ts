/** AlertStore over drizzle: each alert upserted, every transition appended with its outbox row. */
import { and, asc, desc, eq, gte, inArray, lte, ne } from 'drizzle-orm';
import type { Alert } from '../../model/index.ts';
import type { AlertStore } from '../alert-store.ts';
import type { Db } from '../db-handle.ts';
import { alertToRow, rowToAlert } from '../rows.ts';
import * as schema from '../schema.ts';

export function createDrizzleAlertStore(db: Db): AlertStore {
  return {
    async writeAlerts(list: readonly Alert[]) {
      if (list.length === 0) return;
      await db.transaction(async (tx) => {
        for (const alert of list) {
          const row = alertToRow(alert);
          const { id: _id, raisedAt: _raisedAt, ...changes } = row;
          await tx.insert(schema.alerts).values(row).onConflictDoUpdate({ target: schema.alerts.id, set: changes });
          await tx
            .insert(schema.alertTransitions)
            .values({
              alertId: alert.id,
              state: alert.state,
              at: new Date(alert.changedAt),
              data: alert,
            })
            .onConflictDoNothing();
          // for notify/: delivered at least once, recorded exactly once per transition
          await tx
            .insert(schema.outbox)
            .values({
              topic: 'alert',
              key: `${alert.id}/${alert.state}/${alert.changedAt}`,
              payload: alert,
            })
            .onConflictDoNothing();
        }
      });
    },

    async openAlerts(site: string) {
      const t = schema.alerts;
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.site, site), ne(t.state, 'cleared')))
        .orderBy(desc(t.raisedAt), asc(t.id));
      if (rows.length === 0) return [];
      // The latest transition holds the whole alert (lifecycle, incident, …), which a restart must restore.
      const tr = schema.alertTransitions;
      const latest = await db
        .selectDistinctOn([tr.alertId], { alertId: tr.alertId, data: tr.data })
        .from(tr)
        .where(
          inArray(
            tr.alertId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(tr.alertId), desc(tr.at), desc(tr.id));
      const full = new Map(latest.map((l) => [l.alertId, l.data as Alert]));
      return rows.map((row) => full.get(row.id) ?? rowToAlert(row));
    },

    async alertHistory(alertId: string) {
      const t = schema.alertTransitions;
      const rows = await db.select().from(t).where(eq(t.alertId, alertId)).orderBy(asc(t.at), asc(t.id));
      return rows.map((r) => ({ state: r.state as Alert['state'], at: r.at.getTime(), alert: r.data as Alert }));
    },

    async alertTransitionsOf(site: string, kind: string, from: number, to: number) {
      const t = schema.alertTransitions;
      const a = schema.alerts;
      const rows = await db
        .select({ state: t.state, at: t.at, data: t.data })
        .from(t)
        .innerJoin(a, eq(a.id, t.alertId))
        .where(and(eq(a.site, site), eq(a.kind, kind), gte(a.raisedAt, new Date(from)), lte(a.raisedAt, new Date(to))))
        .orderBy(asc(a.raisedAt), asc(t.alertId), asc(t.at), asc(t.id));
      return rows.map((r) => ({ state: r.state as Alert['state'], at: r.at.getTime(), alert: r.data as Alert }));
    },
  };
}
