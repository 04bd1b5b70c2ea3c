import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests with no socket, database or browser: the engine on virtual time, the standard and its fixtures,
 * the model, the web app's logic, CAP documents, the Modbus decoding, the durable queue (temporary files only) and
 * the link heartbeat (a hand-driven clock). `npm run test:unit` runs only
 * these (for the edit-test loop); `npm test` runs every project.
 */
const UNIT = [
  'engine/**/*.test.ts',
  'standards/**/*.test.ts',
  'model/**/*.test.ts',
  'ui/web/src/**/*.test.ts',
  'notify/cap/**/*.test.ts',
  'collector/modbus/decode.test.ts',
  'collector/modbus/plan-requests.test.ts',
  'collector/warn-limiter.test.ts',
  'collector/link-heartbeat.test.ts',
  'queue/**/*.test.ts',
  'bus/in-process-bus.test.ts',
  'bus/sample-batch-codec.test.ts',
];
const EXCLUDE = [...configDefaults.exclude, 'node_modules/**', 'data/**', 'ui/web/dist/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites start real servers on loopback ports; files run in parallel processes.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, exclude: EXCLUDE, isolate: false } },
      { extends: true, test: { name: 'integration', include: ['**/*.test.ts'], exclude: [...EXCLUDE, ...UNIT] } },
    ],
  },
});
