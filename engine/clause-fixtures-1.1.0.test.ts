// The clauses of oil-depot-above-ground@1.1.0 against their fixtures (engine/clause-fixture-test-support.ts).
import { fixtureSuite } from './clause-fixture-test-support.ts';

await fixtureSuite('1.1.0');
