import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**', 'ui/web/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Suites start real servers on loopback ports; files run in parallel processes.
    pool: 'forks',
  },
});
