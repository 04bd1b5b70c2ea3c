import { describe } from 'vitest';
import { storeContract } from './store.contract.ts';
import { storeGuardsContract } from './store-guards.contract.ts';
import { storeHistoryContract } from './store-history.contract.ts';
import { createPgliteTarget, createPostgresTarget, createTimescaleTarget } from './store-targets.ts';

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('store on embedded PGlite', () => storeContract(createPgliteTarget));
describe('history, audit, outbox, evidence, retention on embedded PGlite', () => storeHistoryContract(createPgliteTarget));
describe('dead letters, sign-in counts, evidence versions, audit appends on embedded PGlite', () => storeGuardsContract(createPgliteTarget));
describe('store on PostgreSQL', () => storeContract(() => createPostgresTarget(POSTGRES_URL)));
describe('history, audit, outbox, evidence, retention on PostgreSQL', () => storeHistoryContract(() => createPostgresTarget(POSTGRES_URL)));
describe('dead letters, sign-in counts, evidence versions, audit appends on PostgreSQL', () => storeGuardsContract(() => createPostgresTarget(POSTGRES_URL)));
describe('store on TimescaleDB (PGlite build with TimescaleDB 2.23)', () => storeContract(createTimescaleTarget));
describe('history, audit, outbox, evidence, retention on TimescaleDB', () => storeHistoryContract(createTimescaleTarget));
describe('dead letters, sign-in counts, evidence versions, audit appends on TimescaleDB', () => storeGuardsContract(createTimescaleTarget));
