import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of a file in the shared specs folder. `@registerbro/testkit` has the same helper, but testkit
 * depends on model, so model's tests walk up to `shared/specs` themselves (no dependency cycle).
 * `REGISTERBRO_SPECS` overrides, as in testkit.
 */
export function specPath(...segments: string[]): string {
  const fromEnv = process.env.REGISTERBRO_SPECS;
  if (fromEnv) return path.join(fromEnv, ...segments);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'shared', 'specs');
    if (existsSync(path.join(candidate, 'README.md'))) return path.join(candidate, ...segments);
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('shared/specs not found walking up from packages/model; set REGISTERBRO_SPECS');
    dir = parent;
  }
}
