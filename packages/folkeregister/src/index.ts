/**
 * `@registerbro/folkeregister` — Folkeregisteret (Skatteetaten, REST API v1, rettighetspakke
 * "offentlig med hjemmel" v1.5): persons, bulk lookup, the event feed and extracts as canonical
 * Persons through the shared adapter contract.
 * @packageDocumentation
 */
export { createFolkeregisterAdapter, NAME_PARTS, PERSON_PARTS } from './adapter.js';
export type { FolkeregisterAdapter, FolkeregisterAdapterOptions } from './adapter.js';
export { createFolkeregisterClient, BULKOPPSLAG_MAX, FOLKEREGISTER_SCOPES } from './client.js';
export type {
  BulkoppslagResult,
  FeedOptions,
  FeedResult,
  FolkeregisterCallOptions,
  FolkeregisterClient,
  FolkeregisterClientOptions,
  PersonLookupOptions,
  UttrekkBatch,
} from './client.js';
export { toPerson, toPersonNames, pickCurrent, toAdressebeskyttelse } from './mappers/to-person.js';
export type { ToPersonOptions } from './mappers/to-person.js';
export {
  FolkeregisterpersonWireSchema,
  FolkeregisteridentifikatorWireSchema,
  BostedsadresseWireSchema,
  PostadresseWireSchema,
  PostadresseIUtlandetWireSchema,
  OppslagWireSchema,
  PersonBulkoppslagResponseWireSchema,
} from './wire/person.js';
export type {
  FolkeregisterpersonWire,
  FolkeregisteridentifikatorWire,
  BostedsadresseWire,
  PostadresseWire,
  PostadresseIUtlandetWire,
  OppslagWire,
  PersonBulkoppslagResponseWire,
  PersonBulkoppslagRequestWire,
} from './wire/person.js';
export {
  LagretHendelseWireSchema,
  HendelseMedDokumentIdentifikatorerWireSchema,
  FeedPageWireSchema,
  KNOWN_HENDELSESTYPER,
  parseFeedPage,
} from './wire/feed.js';
export type { LagretHendelseWire, InvalidFeedEvent, ParsedFeedPage } from './wire/feed.js';
export { parseFeedAtom } from './wire/feed-atom.js';
export { DokumentForHendelseWireSchema, EgenskapshendelseWireSchema } from './wire/hendelse.js';
export type { DokumentForHendelseWire } from './wire/hendelse.js';
export { UttrekkJobbResponseWireSchema, UttrekkDataResponseWireSchema } from './wire/uttrekk.js';
export type {
  UttrekkJobbResponseWire,
  UttrekkDataResponseWire,
  TilpassetUttrekkJobbRequestWire,
} from './wire/uttrekk.js';
export {
  KodeMeldingWireSchema,
  FolkeregisterFeilmeldingWireSchema,
  ErrorMessageForExternalUsersWireSchema,
  parseFolkeregisterErrorBody,
  parseFolkeregisterErrorText,
  toFolkeregisterError,
} from './wire/errors.js';
export type { FolkeregisterErrorBody, FolkeregisterErrorContext } from './wire/errors.js';
export { toHendelse } from './mappers/to-hendelse.js';
export type { HendelseSummary } from './mappers/to-hendelse.js';
