import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests draw from a fixed seed unless LORENZ_PROPERTY_SEED says otherwise (test/setup/fast-check.ts).
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 60_000,
  },
});
