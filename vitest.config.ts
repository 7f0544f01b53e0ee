import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CLI suites spawn processes and time their step runs; two cores do not take more.
    maxWorkers: 2,
    pool: 'forks',
    // Builds out/cli (and out/renderer if missing) once; the CLI processes the tests start run
    // that build as it is, whatever is edited meanwhile.
    globalSetup: ['test/support/build-cli.global.ts'],
    env: { FLOWDECK_NO_REBUILD: '1' },
  },
});
