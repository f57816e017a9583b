import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites build and start real servers: they need minutes, not seconds.
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
