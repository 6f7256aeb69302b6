import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@registerbro/source'] },
  ssr: { resolve: { conditions: ['@registerbro/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
