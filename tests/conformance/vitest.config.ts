import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@registerbro/source'] },
  ssr: { resolve: { conditions: ['@registerbro/source'] } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
  },
});
