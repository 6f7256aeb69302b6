/**
 * `@registerbro/model` — the shared data model: identifiers, canonical entities, the adapter
 * contract and the error hierarchy.
 * @packageDocumentation
 */

// Canonical entities
export {
  SourceRefSchema,
  SourcesSchema,
  IsoDateSchema,
  CrsSchema,
  PointSchema,
  MatrikkelnummerTextSchema,
  FodselsnummerTextSchema,
  OrganisasjonsnummerTextSchema,
  KommunenummerTextSchema,
  PostnummerTextSchema,
} from './entities/common.js';
export type { SourceRef, Crs, Point } from './entities/common.js';
export { AddressKindSchema, AddressSchema } from './entities/address.js';
export type { Address, AddressKind } from './entities/address.js';
export {
  PersonSchema,
  PersonIdentifierSchema,
  PersonIdentifierKindSchema,
  PersonStatusSchema,
  AdressebeskyttelseSchema,
  isProtected,
  personName,
} from './entities/person.js';
export type {
  Person,
  PersonNames,
  PersonIdentifier,
  PersonIdentifierKind,
  PersonStatus,
  Adressebeskyttelse,
} from './entities/person.js';
export { OrganisationSchema } from './entities/organisation.js';
export type { Organisation } from './entities/organisation.js';
export {
  ShareSchema,
  OwnerSchema,
  PropertyTypeSchema,
  PropertySchema,
  BuildingSchema,
  AgriculturalHoldingSchema,
} from './entities/property.js';
export type {
  Share,
  Owner,
  PropertyType,
  Property,
  Building,
  AgriculturalHolding,
} from './entities/property.js';
export {
  PartySchema,
  CaseClassSchema,
  CaseTypeSchema,
  CaseSchema,
  RecordSchema,
  FROZEN_JOURNALSTATUS,
} from './entities/archive.js';
export type { Party, CaseClass, CaseType, Case, ArchiveRecord } from './entities/archive.js';
export { GeometrySchema, MapFeatureSchema } from './entities/map-feature.js';
export type { Geometry, MapFeature } from './entities/map-feature.js';

// Identifiers
export { parseAdressekode, isAdressekode } from './identifiers/adressekode.js';
export { parseBygningsnummer, isBygningsnummer } from './identifiers/bygningsnummer.js';
export { parseFodselsnummer, isFodselsnummer, makeFodselsnummer } from './identifiers/fodselsnummer.js';
export type {
  Fodselsnummer,
  FodselsnummerControlRule,
  FodselsnummerKind,
  MakeFodselsnummerOptions,
} from './identifiers/fodselsnummer.js';
export {
  parseKommunenummer,
  isKommunenummer,
  kommuneInfo,
  currentKommunenummer,
  listKommunenummer,
} from './identifiers/kommunenummer.js';
export type { KommuneInfo } from './identifiers/kommunenummer.js';
export {
  parseMatrikkelnummer,
  formatMatrikkelnummer,
  isMatrikkelnummer,
} from './identifiers/matrikkelnummer.js';
export type {
  Matrikkelnummer,
  ParseMatrikkelnummerOptions,
  FormatMatrikkelnummerOptions,
} from './identifiers/matrikkelnummer.js';
export {
  parseOrganisasjonsnummer,
  isOrganisasjonsnummer,
  makeOrganisasjonsnummer,
} from './identifiers/organisasjonsnummer.js';
export { parsePostnummer, isPostnummer } from './identifiers/postnummer.js';
export {
  parseProdusentnummer,
  isProdusentnummer,
  produsentnummerPassesLuhn,
} from './identifiers/produsentnummer.js';
export {
  parseSaksnummer,
  isSaksnummer,
  formatSaksnummer,
  parseJournalpostnummer,
  isJournalpostnummer,
  formatJournalpostnummer,
} from './identifiers/saksnummer.js';
export type { Saksnummer, Journalpostnummer } from './identifiers/saksnummer.js';

// Errors
export {
  RegisterbroError,
  isRegisterbroError,
  hasErrorCode,
  ConfigError,
  AuthError,
  HttpError,
  RateLimitError,
  TimeoutError,
  CircuitOpenError,
  AbortedError,
  UpstreamInvalidError,
  UnsupportedError,
  ConflictError,
  InvalidIdentifierError,
  toRegisterbroError,
} from './errors.js';
export type { RegisterbroErrorOptions, SystemName, ValidationIssue } from './errors.js';
export { maskFodselsnummer, redactDeep, redactText } from './redact.js';
export { unsupported, quarantine, collectPages } from './contract.js';
export type {
  Adapter,
  ApplyOptions,
  ApplyResult,
  CallOptions,
  Capabilities,
  Change,
  ChangePage,
  ChangesOptions,
  CheckResult,
  DeleteChange,
  GetManyResult,
  Operation,
  QuarantineEntry,
  RekeyChange,
  ScanOptions,
  ScanPage,
  UpsertChange,
} from './contract.js';
