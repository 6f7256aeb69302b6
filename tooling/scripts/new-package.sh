#!/usr/bin/env bash
# Scaffold files shared by every publishable package: tsconfig, tsup and vitest configs.
set -euo pipefail
dir=$1
cat > "$dir/tsconfig.json" <<'J'
{
  "extends": "../../tooling/tsconfig/base.json",
  "include": ["src", "test", "*.config.ts"]
}
J
cat > "$dir/vitest.config.ts" <<'J'
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@registerbro/source'] },
  ssr: { resolve: { conditions: ['@registerbro/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
J
