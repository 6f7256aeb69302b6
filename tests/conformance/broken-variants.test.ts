import {
  ConformanceError,
  type ConformanceTestName,
  conformanceTestNames,
  describeAdapterConformance,
  runConformanceCheck,
} from '@registerbro/testkit/conformance';
import { describe, expect, it } from 'vitest';
import type { ReferenceBug } from './reference-adapter.js';
import { createReferenceHarness } from './reference-harness.js';

/**
 * The suite is only worth something if it fails broken adapters. Each deliberate defect of the
 * reference adapter must be caught by the named checks, with a message saying what is wrong —
 * while the healthy reference adapter passes the very same checks.
 */
const CAUGHT_BY: Record<ReferenceBug, { checks: ConformanceTestName[]; message: RegExp }> = {
  skip_on_resume: { checks: ['resume_from_cursor', 'many_pages'], message: /gap|expected \d+ changes/ },
  duplicate_on_resume: {
    checks: ['resume_from_cursor', 'many_pages'],
    message: /duplicate|expected \d+ changes/,
  },
  ignore_page_size: { checks: ['many_pages'], message: /came in 1 page\(s\)/ },
  non_schema_entity: {
    checks: [
      'get_known',
      'get_many_found_and_missing',
      'scan_covers_every_key_once',
      'many_pages',
      'entities_parse',
    ],
    message: /model schema/,
  },
  null_on_auth: { checks: ['auth_error'], message: /get: expected AuthError.*resolved/ },
  rate_limit_without_retry_after: { checks: ['rate_limit_error'], message: /expected RateLimitError/ },
  ignore_abort: {
    checks: ['abort_before_call', 'abort_during_call'],
    message: /expected AbortedError.*resolved|still pending \d+ ms after the abort/,
  },
  abort_after_response: { checks: ['abort_during_call'], message: /still pending \d+ ms after the abort/ },
  no_idempotency: { checks: ['apply_idempotent'], message: /returned applied, expected already_applied/ },
  scan_duplicates: { checks: ['scan_covers_every_key_once'], message: /more than once/ },
  quarantine_fails_page: { checks: ['malformed_record_quarantined'], message: /must not fail the feed/ },
  quarantine_drops_record: {
    checks: ['malformed_record_quarantined'],
    message: /exactly 1 quarantined record, got 0/,
  },
  quarantine_unmasked_key: { checks: ['malformed_record_quarantined'], message: /key must be masked/ },
  silent_unsupported_scan: { checks: ['capabilities_honoured'], message: /scan: expected UnsupportedError/ },
  get_many_forgets_missing: { checks: ['get_many_found_and_missing'], message: /missing must be exactly/ },
  malformed_as_null: { checks: ['malformed_body'], message: /get: expected UpstreamInvalidError.*resolved/ },
};

// Each check builds its own register, so the cases run concurrently (two of them wait out the
// abort grace period).
describe.concurrent('conformance checks catch broken adapters', () => {
  const healthy = createReferenceHarness();

  for (const [bug, { checks, message }] of Object.entries(CAUGHT_BY) as [
    ReferenceBug,
    (typeof CAUGHT_BY)[ReferenceBug],
  ][]) {
    for (const check of checks) {
      it(`${check} catches ${bug}`, async ({ expect }) => {
        await expect(runConformanceCheck(healthy, check)).resolves.toEqual({ status: 'passed' });
        const broken = createReferenceHarness({ bugs: [bug] });
        const failure = await runConformanceCheck(broken, check).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure, `${check} let ${bug} pass`).toBeInstanceOf(ConformanceError);
        expect((failure as ConformanceError).test).toBe(check);
        expect((failure as ConformanceError).message).toMatch(message);
        // Reports name records masked: no eleven-digit identifier in clear.
        expect((failure as ConformanceError).message).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
      });
    }
  }

  it('every check catches at least one defect, so none is vacuous on the reference adapter', () => {
    const covered = new Set(Object.values(CAUGHT_BY).flatMap((entry) => entry.checks));
    // check_ok and check_reports_failure are pinned by their own test below.
    const uncovered = conformanceTestNames.filter(
      (name) =>
        !covered.has(name) &&
        name !== 'check_ok' &&
        name !== 'check_reports_failure' &&
        name !== 'empty_feed' &&
        name !== 'get_unknown_returns_null',
    );
    expect(uncovered).toEqual([]);
  });

  it('check_ok, check_reports_failure, empty_feed and get_unknown_returns_null fail on a lying adapter', async () => {
    const harness = createReferenceHarness();
    const lying: typeof harness = {
      ...harness,
      async setup() {
        const context = await harness.setup();
        const { adapter } = context;
        const produce = context.produceChanges;
        // A wrapper that lies in each of the four ways at once.
        const liar: typeof adapter = {
          ...adapter,
          check: async () => ({ ok: true, system: 'someone-else', latencyMs: 1 }),
          // head() points one entry back, so a quiet feed is never empty.
          head: async () => `ref1:${Math.max(0, Number((await adapter.head()).slice(5)) - 1)}`,
          // get() never says null: an unknown key answers with somebody else.
          get: async (key, options) =>
            (await adapter.get(key, options)) ??
            (await adapter.get((await context.knownKeys())[0]!, options)),
        };
        await produce(1);
        return { ...context, adapter: liar };
      },
    };
    for (const check of [
      'check_ok',
      'check_reports_failure',
      'empty_feed',
      'get_unknown_returns_null',
    ] as const) {
      await expect(runConformanceCheck(harness, check), check).resolves.toEqual({ status: 'passed' });
      await expect(runConformanceCheck(lying, check), check).rejects.toBeInstanceOf(ConformanceError);
    }
  });
});

describe('describeAdapterConformance', () => {
  it('refuses an opt-out without a written reason', () => {
    expect(() =>
      describeAdapterConformance({ ...createReferenceHarness(), optOut: { many_pages: '  ' } }),
    ).toThrow(/needs a written reason/);
  });

  it('refuses an opt-out of a test that does not exist', () => {
    const optOut = { many_pagez: 'typo' } as unknown as Record<ConformanceTestName, string>;
    expect(() => describeAdapterConformance({ ...createReferenceHarness(), optOut })).toThrow(
      /unknown conformance test/,
    );
  });
});
