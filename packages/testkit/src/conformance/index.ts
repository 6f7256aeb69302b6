/**
 * `@registerbro/testkit/conformance` — the adapter conformance suite every adapter + simulator
 * pair runs: implement a {@link ConformanceHarness} and call {@link describeAdapterConformance}.
 * @packageDocumentation
 */
export { describeAdapterConformance, conformanceTestNames } from './suite.js';
export {
  ConformanceError,
  changeIdentity,
  conformanceChecks,
  runConformanceCheck,
  checkCheckOk,
  checkCheckReportsFailure,
  checkCapabilitiesHonoured,
  checkGetKnown,
  checkGetUnknownReturnsNull,
  checkGetManyFoundAndMissing,
  checkScanCoversEveryKeyOnce,
  checkEmptyFeed,
  checkManyPages,
  checkResumeFromCursor,
  checkAuthError,
  checkRateLimitError,
  checkMalformedBody,
  checkMalformedRecordQuarantined,
  checkAbortBeforeCall,
  checkAbortDuringCall,
  checkEntitiesParse,
  checkApplyIdempotent,
} from './checks.js';
export type { ConformanceCheck, ConformanceOutcome } from './checks.js';
export type {
  ConformanceContext,
  ConformanceFault,
  ConformanceHarness,
  ConformanceTestName,
  EntitySchema,
  SampleOperation,
} from './harness.js';
