import { describe } from 'vitest';
import { storeContract } from './store.contract.ts';
import { createPgliteTarget, createPostgresTarget, createTimescaleTarget } from './store-targets.ts';

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('store on embedded PGlite', () => storeContract(createPgliteTarget));
describe('store on PostgreSQL', () => storeContract(() => createPostgresTarget(POSTGRES_URL)));
describe('store on TimescaleDB (PGlite build with TimescaleDB 2.23)', () => storeContract(createTimescaleTarget));
