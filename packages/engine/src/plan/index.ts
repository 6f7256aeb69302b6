/**
 * The engine's pure planning core: masters per field, the three-way compare, identity resolution,
 * archive operations with deterministic idempotency keys, the F1/F2/F6 flow planners and plan
 * rendering. No I/O: every function reads its input only.
 * @packageDocumentation
 */
export {
  MasterSystemSchema,
  MasterFieldSchema,
  MasterOverridesSchema,
  DEFAULT_MASTER_RULES,
  DEFAULT_MASTERS,
  resolveMasters,
} from './masters.js';
export type { MasterSystem, MasterField, MasterRule, MasterOverrides, Masters } from './masters.js';
export {
  DEFAULT_FIRST_SYNC_POLICY,
  compareField,
  valuesEqual,
  normalizeText,
  normalizeName,
  namesEqual,
  canonicalAddress,
  addressesEqual,
  formatAddress,
  deceasedValue,
} from './compare.js';
export type { FirstSyncPolicy, CompareConflictKind, CompareInput, CompareResult } from './compare.js';
export {
  indexPersons,
  resolvePerson,
  personAddresses,
  createPersonMatcher,
  personNameKeys,
  maskedIds,
  resolveUnit,
  formatLikeOriginal,
} from './identity.js';
export type {
  PersonIndex,
  PersonResolution,
  PartyFacts,
  PartyMatch,
  PersonMatcher,
  UnitLookup,
  UnitStep,
  UnitResolution,
} from './identity.js';
export {
  FlowIdSchema,
  PartyLocationSchema,
  PartyFieldsSchema,
  PartyDraftSchema,
  PartyUpdateSchema,
  PartyRemoveAddressSchema,
  PartyRekeyIdentifierSchema,
  PartyAddSchema,
  ClassRekeySchema,
  ClassRemoveSchema,
  CaseCreateFollowupSchema,
  ArchiveOperationSchema,
  partyTarget,
  caseTarget,
  classTarget,
  wantedOf,
  idempotencyKeyOf,
  finalizeOperation,
  fieldsOf,
} from './operations.js';
export type {
  FlowId,
  PartyLocation,
  PartyFields,
  PartyDraft,
  ArchiveOperation,
  ArchiveOperationType,
  ArchiveOperationOf,
  OperationDraft,
} from './operations.js';
export { createBaseLookup, emptyPlan, PROTECTED_PLACEHOLDER } from './types.js';
export type {
  ConflictKind,
  PlannedConflict,
  BaseUpdate,
  PlannedLink,
  PlanStats,
  Plan,
  BaseLookup,
} from './types.js';
export { planF1 } from './flows/f1-people.js';
export type { PlanF1Input } from './flows/f1-people.js';
export { planF2 } from './flows/f2-properties.js';
export type { PlanF2Input } from './flows/f2-properties.js';
export { planF6 } from './flows/f6-addresses.js';
export type { PlanF6Input, AddressChange } from './flows/f6-addresses.js';
export {
  FLOW_PRECEDENCE,
  compareOperations,
  compareConflicts,
  mergePlans,
  sortPlan,
  summarizePlan,
  renderPlan,
  renderValue,
} from './plan.js';
export type { PlanSummary, RenderPlanOptions } from './plan.js';
