import { describe } from 'vitest';
import { storeContract } from './store.contract.ts';
import { createPgliteTarget, createPostgresTarget } from './store-targets.ts';

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('store on embedded PGlite', () => storeContract(createPgliteTarget));
describe('store on PostgreSQL', () => storeContract(() => createPostgresTarget(POSTGRES_URL)));
