import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/platform/**/*.test.ts', 'test/services/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/fixtures/**', 'test/integration/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
