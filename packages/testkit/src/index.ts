/**
 * `@registerbro/testkit` — a consistent synthetic Norwegian municipality from a seed (Tenor-style
 * people only), a change generator, fault injection and a shared HTTP server for simulators, the
 * spec helpers, and (under `./conformance`) the adapter conformance suite.
 * @packageDocumentation
 */
export { specsDir, specPath, validateXml } from './specs.js';
export type { XsdResult } from './specs.js';
export { createFaultInjector, hostileBody, malformedBody, contentFamily } from './faults.js';
export type {
  Fault,
  FaultCounts,
  FaultDecision,
  FaultInjector,
  FaultKind,
  FaultPlan,
  FaultRequest,
  HostileVariant,
} from './faults.js';
export { startSimulatorServer } from './server.js';
export type {
  RequestLogEntry,
  RequestStats,
  SimRequest,
  SimResponse,
  SimulatorServer,
  SimulatorServerOptions,
} from './server.js';
export { generateMunicipality, WORLD_RATIOS } from './generate.js';
export type { GenerateMunicipalityOptions } from './generate.js';
export { applyChanges, renumberKommune, CHANGE_WEIGHTS } from './changes.js';
export type { ApplyChangesOptions } from './changes.js';
export {
  addressText,
  caseBySaksnummer,
  ownerIdentifier,
  ownerName,
  personByIdentifier,
  personFullName,
  propertyByKey,
  propertyFeature,
  residentsOf,
  summarizeWorld,
} from './queries.js';
export type { WorldFeature, WorldSummary } from './queries.js';
export { checkWorld } from './invariants.js';
export { isSyntheticNumber, passesMod11, passesOrgnrMod11 } from './identifiers.js';
export { createRandom, hashString } from './random.js';
export type { Random } from './random.js';
export type {
  ChangeKind,
  World,
  WorldAddress,
  WorldAdressebeskyttelse,
  WorldBuilding,
  WorldBuildingStatus,
  WorldCase,
  WorldCaseClass,
  WorldCaseType,
  WorldChange,
  WorldChangeDetail,
  WorldCounters,
  WorldHolding,
  WorldIndexes,
  WorldOrganisation,
  WorldOwner,
  WorldParty,
  WorldPartyAddress,
  WorldPerson,
  WorldPersonIdentifier,
  WorldPersonStatus,
  WorldPoint,
  WorldPostalAddress,
  WorldProperty,
  WorldPropertyType,
  WorldRecord,
  WorldShare,
  WorldStreet,
} from './world.js';
