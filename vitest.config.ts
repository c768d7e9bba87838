import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/platform/**/*.test.ts', 'test/services/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/fixtures/**', 'test/integration/**', 'test/e2e/**'],
    // Private Postgres + Redis for the run (test/support); fails with an install hint if absent.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
