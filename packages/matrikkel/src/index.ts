/**
 * `@registerbro/matrikkel` — Matrikkelen (Kartverket): the SOAP API (matrikkelapi/wsapi/v1), the
 * open adresse- and eiendom-APIs and matrikkelføring messages, as canonical Properties behind the
 * shared adapter contract. The simulator is under `@registerbro/matrikkel/simulator`.
 * @packageDocumentation
 */
export { createMatrikkelClient } from './client.js';
export type {
  AdresseApiPage,
  AdressePunktsokQuery,
  AdresseSokQuery,
  MatrikkelClient,
  MatrikkelClientOptions,
  SoapResult,
} from './client.js';
export { createMatrikkelAdapter } from './adapter.js';
export type { MatrikkelAdapter, MatrikkelAdapterOptions } from './adapter.js';
export { MatrikkelFaultError, isMatrikkelFault } from './errors.js';
export { toOwner } from './mappers/to-owner.js';
export { toAddress } from './mappers/to-address.js';
export type { AddressContext } from './mappers/to-address.js';
export { toBuilding } from './mappers/to-building.js';
export { toPoint } from './mappers/to-point.js';
export { toProperty, toMatrikkelnummerKey } from './mappers/to-property.js';
export type { PropertyParts } from './mappers/to-property.js';
export { fromAdresseApi } from './mappers/from-adresse-api.js';
export {
  MATRIKKEL_NS,
  NAMESPACES,
  serviceNamespace,
} from './wire/xml.js';
export type { MatrikkelServiceName } from './wire/xml.js';
export { ID_XSI_TYPE, matrikkelContext } from './wire/requests.js';
export type {
  FindEndringerParams,
  MatrikkelContextOptions,
  MatrikkelId,
  MatrikkelIdType,
  MatrikkelenhetIdentInput,
  MatrikkelenhetSok,
} from './wire/requests.js';
export {
  AdresseWireSchema,
  BygningWireSchema,
  EierforholdWireSchema,
  EndringWireSchema,
  EndringerWireSchema,
  ForretningWireSchema,
  IdWireSchema,
  KommuneWireSchema,
  MatrikkelenhetWireSchema,
  PersonWireSchema,
  RepresentasjonspunktWireSchema,
  VegWireSchema,
} from './wire/schemas.js';
export type {
  AdresseWire,
  BygningWire,
  EierforholdWire,
  EndringWire,
  ForretningWire,
  KommuneWire,
  MatrikkelenhetWire,
  PersonWire,
  VegWire,
} from './wire/schemas.js';
export { fromUtm, toUtm, transform } from './geo/utm.js';
export {
  buildMatrikkelfoering,
  parseMatrikkelfoering,
  summarizeMatrikkelfoering,
} from './matrikkelfoering/codec.js';
export type {
  MatrikkelfoeringMessage,
  MatrikkelfoeringSummary,
  MatrikkelfoeringValue,
  MatrikkelfoeringVersion,
} from './matrikkelfoering/codec.js';
export type { FieldSpec, SchemaDescriptor, TypeSpec } from './matrikkelfoering/descriptor.js';
export { MATRIKKELFOERING_V1, MATRIKKELFOERING_V2 } from './matrikkelfoering/schemas.js';
export { parseFastXml, parseSoapResponse } from './wire/fast-xml.js';
export type { FastXmlOptions } from './wire/fast-xml.js';
