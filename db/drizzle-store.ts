/**
 * The Store over any drizzle PostgreSQL database: the same SQL serves PGlite and `pg`. Each port
 * has its own implementation in db/drizzle/; this file puts them together over one database and
 * closes them all at once.
 */
import { createDrizzleAlertStore } from './drizzle/alert-store.ts';
import { createDrizzleAuditStore } from './drizzle/audit-store.ts';
import { createDrizzleCommitmentStore } from './drizzle/commitment-store.ts';
import { createDrizzleDeadLetterStore } from './drizzle/dead-letter-store.ts';
import { createDrizzleEvidenceStore } from './drizzle/evidence-store.ts';
import { createDrizzleOutboxStore } from './drizzle/outbox-store.ts';
import { createDrizzleRetentionStore } from './drizzle/retention-store.ts';
import { createDrizzleSignInLimitStore } from './drizzle/sign-in-limit-store.ts';
import { createSamplesPartitions } from './samples-partitions.ts';
import { createDrizzleTelemetryStore, type DrizzleTelemetryOptions } from './drizzle/telemetry-store.ts';
import { createDrizzleVerdictStore } from './drizzle/verdict-store.ts';
import { createSeriesIds } from './series-ids.ts';
import { StoreError, type Store } from './store.ts';

import type { Db } from './db-handle.ts';

export type { Db };

export interface DrizzleStoreOptions {
  /** the TimescaleDB layer is in place (db/timescale.ts) */
  timescale?: boolean;
  copySamples?: DrizzleTelemetryOptions['copySamples'];
  /** width of a time partition of `samples` where it is partitioned (db/samples-partitions.ts); default a day */
  samplesPartitionMs?: number;
}

/** The port's methods, each refusing (StoreError CLOSED) once the store is closed. */
function whileOpen<T extends object>(port: T, open: () => void): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(port) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    guarded[name] = async (...args: unknown[]) => {
      open();
      return method(...args);
    };
  }
  return guarded as T;
}

export function createDrizzleStore(db: Db, backend: Store['backend'], closeClient: () => Promise<void>, options: DrizzleStoreOptions = {}): Store {
  let closed = false;
  const open = (): void => {
    if (closed) throw new StoreError('CLOSED', `the ${backend} store is closed`);
  };
  const timescale = options.timescale ?? false;
  const partitions = createSamplesPartitions(db, options.samplesPartitionMs);
  const ports = {
    ...createDrizzleTelemetryStore(db, createSeriesIds(db), { timescale, copySamples: options.copySamples, partitions }),
    ...createDrizzleVerdictStore(db),
    ...createDrizzleAlertStore(db),
    ...createDrizzleOutboxStore(db),
    ...createDrizzleAuditStore(db),
    ...createDrizzleEvidenceStore(db),
    ...createDrizzleDeadLetterStore(db),
    ...createDrizzleSignInLimitStore(db),
    ...createDrizzleRetentionStore(db, partitions),
    ...createDrizzleCommitmentStore(db),
  };
  return {
    backend,
    timescale,
    ...whileOpen(ports, open),
    async close() {
      if (closed) return;
      closed = true;
      await closeClient();
    },
  };
}
