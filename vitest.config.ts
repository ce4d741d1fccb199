import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { TZ: 'UTC' },
    setupFiles: ['test/setup-fast-check.ts'],
    // expect.poll waits 1 s by default: too short for a browser on 2 cores busy with the whole
    // suite (CI failed on it twice). A poll that holds returns at once either way.
    expect: { poll: { timeout: 15_000 } },
  },
});
