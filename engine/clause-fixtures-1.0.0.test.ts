// The clauses of oil-depot-above-ground@1.0.0 against their fixtures (engine/clause-fixture-test-support.ts).
import { expect, it } from 'vitest';
import { fixtureSuite, orphanFixtures } from './clause-fixture-test-support.ts';

it('every shared fixture serves a clause of some version', async () => {
  expect(await orphanFixtures()).toEqual([]);
});

await fixtureSuite('1.0.0');
