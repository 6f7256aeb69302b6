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
} from './common.js';
export type { SourceRef, Crs, Point } from './common.js';
export { AddressKindSchema, AddressSchema } from './address.js';
export type { Address, AddressKind } from './address.js';
export {
  PersonSchema,
  PersonIdentifierSchema,
  PersonIdentifierKindSchema,
  PersonStatusSchema,
  AdressebeskyttelseSchema,
  isProtected,
  personName,
} from './person.js';
export type {
  Person,
  PersonIdentifier,
  PersonIdentifierKind,
  PersonStatus,
  Adressebeskyttelse,
} from './person.js';
export { OrganisationSchema } from './organisation.js';
export type { Organisation } from './organisation.js';
export {
  ShareSchema,
  OwnerSchema,
  PropertyTypeSchema,
  PropertySchema,
  BuildingSchema,
  AgriculturalHoldingSchema,
} from './property.js';
export type { Share, Owner, PropertyType, Property, Building, AgriculturalHolding } from './property.js';
export {
  PartySchema,
  CaseClassSchema,
  CaseTypeSchema,
  CaseSchema,
  RecordSchema,
  FROZEN_JOURNALSTATUS,
} from './archive.js';
export type { Party, CaseClass, CaseType, Case, ArchiveRecord } from './archive.js';
export { GeometrySchema, MapFeatureSchema } from './map-feature.js';
export type { Geometry, MapFeature } from './map-feature.js';
