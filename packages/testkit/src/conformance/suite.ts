import type { Operation } from '@registerbro/model';
import { describe, it } from 'vitest';
import { conformanceChecks } from './checks.js';
import type { ConformanceHarness, ConformanceTestName } from './harness.js';

const DEFAULT_TIMEOUT_MS = 30_000;

/** The names of every conformance test, in the order the suite runs them. */
export const conformanceTestNames = Object.keys(conformanceChecks) as ConformanceTestName[];

/**
 * Register the adapter conformance suite for one adapter + simulator pair as vitest tests.
 *
 * Every test calls `harness.setup()` for a fresh context and `teardown()` after it. A test the
 * adapter cannot pass is opted out in `harness.optOut` with a written reason and shows as skipped
 * with that reason in its title; a test that does not apply (e.g. `scan` when
 * `capabilities.scan` is false) is skipped at run time with the reason.
 *
 * @example
 * ```ts
 * import { describeAdapterConformance } from '@registerbro/testkit/conformance';
 * describeAdapterConformance({ name: 'matrikkel', schema: PropertySchema, keyOf: (p) => p.matrikkelnummer, setup });
 * ```
 */
export function describeAdapterConformance<E, Op extends Operation = Operation>(
  harness: ConformanceHarness<E, Op>,
): void {
  const optOut = harness.optOut ?? {};
  for (const [name, reason] of Object.entries(optOut)) {
    // Fail loudly at collection: a typo would otherwise silently run the test, an empty reason hides why.
    if (!(name in conformanceChecks)) {
      throw new Error(`${harness.name}: optOut names an unknown conformance test "${name}"`);
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new Error(`${harness.name}: optOut of "${name}" needs a written reason`);
    }
  }
  const timeout = harness.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  describe(`${harness.name} adapter conformance`, () => {
    for (const name of conformanceTestNames) {
      const { title, run } = conformanceChecks[name];
      const reason = optOut[name];
      if (reason !== undefined) {
        it.skip(`${name}: ${title} — opted out: ${reason}`, () => {});
        continue;
      }
      it(
        `${name}: ${title}`,
        async (test) => {
          const context = await harness.setup();
          try {
            const outcome = await run(harness, context);
            if (outcome.status === 'skipped') test.skip(outcome.reason);
          } finally {
            await context.teardown();
          }
        },
        timeout,
      );
    }
  });
}
