/**
 * `@registerbro/noark` — the case/archive adapter: the Noark 5 Tjenestegrensesnitt (REST) and KS
 * Fiks Arkiv V1 messages as canonical Cases, ArchiveRecords and Parties, with idempotent writes.
 * The simulator is under `@registerbro/noark/simulator`.
 * @packageDocumentation
 */
export { createNoarkAdapter, unreadableIsRetryable } from './adapter.js';
export type { NoarkAdapter, NoarkAdapterOptions } from './adapter.js';
export { createNoarkClient, klientMeldingIdFor } from './client.js';
export type {
  FiksRequestOptions,
  NoarkClient,
  NoarkClientOptions,
  NoarkFiksClient,
  NoarkFiksOptions,
  NoarkTgClient,
  SaksmappeQuery,
  TgListPage,
  Versioned,
} from './client.js';
export { NOARK_OPERATION_TYPES } from './operations.js';
export type {
  AddPartyOperation,
  CreateCaseOperation,
  NoarkOperation,
  PartyExpectation,
  RekeyClassOperation,
  RekeyPartyIdentifierOperation,
  RemoveClassOperation,
  RemovePartyAddressOperation,
  UpdateCorrespondencePartyOperation,
  UpdatePartyOperation,
} from './operations.js';
export { createHttpFiksArkivTransport } from './fiks/transport.js';
export type {
  FiksArkivOutgoing,
  FiksArkivReply,
  FiksArkivTransport,
  HttpFiksArkivTransportOptions,
} from './fiks/transport.js';
export {
  FIKS_ARKIV_CODECS,
  decodeArkivmelding,
  decodeArkivmeldingKvittering,
  decodeArkivmeldingOppdatering,
  decodeDokumentobjektOpprett,
  decodeFeilmelding,
  decodeMappeHent,
  decodeMappeHentResultat,
  decodeNyAvskrivning,
  decodeRegistreringHent,
  decodeRegistreringHentResultat,
  decodeSok,
  decodeSokeresultatNoekler,
  decodeSokeresultatUtvidet,
  encodeArkivmelding,
  encodeArkivmeldingKvittering,
  encodeArkivmeldingOppdatering,
  encodeDokumentobjektOpprett,
  encodeFeilmelding,
  encodeMappeHent,
  encodeMappeHentResultat,
  encodeNyAvskrivning,
  encodeRegistreringHent,
  encodeRegistreringHentResultat,
  encodeSok,
  encodeSokeresultatNoekler,
  encodeSokeresultatUtvidet,
} from './fiks/codec.js';
export type { FiksArkivCodec } from './fiks/codec.js';
export {
  FIKS_ARKIV_ACK_TYPES,
  FIKS_ARKIV_ERROR_TYPES,
  FIKS_ARKIV_REPLIES,
  FiksArkivMessageTypes,
  fiksArkivXsdFile,
} from './fiks/message-types.js';
export type { FiksArkivMessageType } from './fiks/message-types.js';
export type {
  Arkivmelding,
  ArkivmeldingKvittering,
  ArkivmeldingOppdatering,
  Dokumentbeskrivelse,
  Dokumentobjekt,
  DokumentobjektOpprett,
  EksternNoekkel,
  Feilmelding,
  Identifikatorer,
  JournalpostResultat,
  Klassifikasjon,
  KlassifikasjonOppdateringer,
  Kode,
  Korrespondansepart,
  MappeHent,
  MappeHentResultat,
  MappeMelding,
  MappeOppdatering,
  NyAvskrivning,
  Part,
  PartOppdateringer,
  ReferanseTilMappe,
  ReferanseTilRegistrering,
  RegistreringHent,
  RegistreringHentResultat,
  RegistreringMelding,
  RegistreringOppdatering,
  SaksmappeResultat,
  Saksnummer,
  Skjerming,
  Sok,
  SokParameter,
  SokeresultatNoekler,
  SokeresultatUtvidet,
} from './fiks/model.js';
export {
  parseFilter,
  evaluateFilter,
  odataString,
  odataDateTime,
  FilterSyntaxError,
} from './odata/filter.js';
export type { ComparisonOperator, FilterExpression, FilterLiteral } from './odata/filter.js';
export {
  toCase,
  toRecord,
  isFrozenJournalstatus,
  mappetypeOf,
  MAPPETYPE_TO_CASE_TYPE,
} from './mappers/to-case.js';
export { toParty, toCorrespondenceParty, fromParty, toAddress, fromAddress } from './mappers/to-party.js';
export type { MapOptions, TgPartBody } from './mappers/to-party.js';
export {
  NOARK5_MEDIA_TYPE,
  REL,
  TgAdresseWireSchema,
  TgDokumentobjektWireSchema,
  TgEksternIdWireSchema,
  TgErrorWireSchema,
  TgJournalpostWireSchema,
  TgKlasseWireSchema,
  TgKodeWireSchema,
  TgKorrespondansepartWireSchema,
  TgLinkWireSchema,
  TgLinksWireSchema,
  TgListWireSchema,
  TgMalWireSchema,
  TgPartWireSchema,
  TgSaksmappeWireSchema,
  TgSkjermingWireSchema,
} from './wire/tg.js';
export type {
  TgAdresseWire,
  TgEksternIdWire,
  TgErrorWire,
  TgJournalpostWire,
  TgKlasseWire,
  TgKodeWire,
  TgKorrespondansepartWire,
  TgLinkWire,
  TgListWire,
  TgPartWire,
  TgSaksmappeWire,
} from './wire/tg.js';
