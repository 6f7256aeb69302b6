import { defineConfig } from 'vitest/config';

/**
 * One `vitest run` at the root runs every package's own project (each has a
 * `vitest.config.ts` made with `defineProject`). Packages resolve each other's
 * TypeScript sources through the `@registerbro/source` export condition, so
 * tests need no build.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/*'],
  },
});
