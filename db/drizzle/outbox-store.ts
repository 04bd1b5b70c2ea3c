/** OutboxStore over drizzle: leases taken with SKIP LOCKED, so notifiers in several processes share the work. */
import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db-handle.ts';
import type { OutboxMessage, OutboxStore } from '../outbox-store.ts';
import * as schema from '../schema.ts';
import { sqlRows } from './sql-rows.ts';

export function createDrizzleOutboxStore(db: Db): OutboxStore {
  return {
    async claimOutbox(limit, leaseMs = 30_000) {
      const got = await sqlRows<{ id: number | string; topic: string; key: string; payload: unknown; created_at: Date | string; attempts: number }>(
        db,
        sql`
        UPDATE outbox SET claimed_until = now() + ${`${Math.max(0, leaseMs)} milliseconds`}::interval, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM outbox WHERE delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, key, payload, created_at, attempts`,
      );
      return got
        .map((r): OutboxMessage => ({
          id: Number(r.id),
          topic: r.topic,
          key: r.key,
          payload: r.payload,
          createdAt: new Date(r.created_at).getTime(),
          attempts: Number(r.attempts),
        }))
        .sort((x, y) => x.id - y.id);
    },

    async markDelivered(ids) {
      if (ids.length === 0) return;
      const o = schema.outbox;
      await db
        .update(o)
        .set({ deliveredAt: sql`now()`, claimedUntil: null })
        .where(and(inArray(o.id, [...ids]), isNull(o.deliveredAt)));
    },
  };
}
