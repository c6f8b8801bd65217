import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/support/global-setup.ts'],
    // A browser journey runs axe on every page it reaches (about a second each): the longest
    // take about 20 s on this 2-core machine. A hang still fails, at a minute.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: argon2 and the browser are CPU-bound.
    maxWorkers: 2,
    // Each worker loads the app's modules once for all its files, not once per file (that
    // was a third of the run). Files share no state through modules: every describe block
    // builds its own app, database and clock (`useTestApp` in tests/support/app.ts).
    isolate: false,
  },
});
