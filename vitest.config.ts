import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests/electron/*.test.ts test the Electron glue with 'electron' replaced by a stand-in.
    include: ['tests/unit/**/*.test.ts', 'tests/electron/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
