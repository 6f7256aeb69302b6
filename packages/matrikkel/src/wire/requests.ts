/**
 * Request payloads for the operations a sync needs, shaped after the service schemas in
 * specs/matrikkel/schema/matrikkelapi-v1 (`{X}ServiceWS_schema1.xsd`). Each function returns the
 * Body's payload element as a string; `soap.ts` wraps it in an envelope.
 */
import type { Matrikkelnummer } from '@registerbro/model';
import { esc, idEl, leaf, node, payload } from './xml.js';

/**
 * Class of an internal id, as its `xsi:type`. Ids sent to StoreService must carry it (FACTS.md:
 * without it the service answers "Error mapping from …MatrikkelBubbleIdList…").
 */
export type MatrikkelIdType =
  | 'MatrikkelenhetId'
  | 'PersonId'
  | 'AdresseId'
  | 'VegId'
  | 'ByggId'
  | 'KommuneId'
  | 'TeigId'
  | 'ForretningId'
  | 'MatrikkelEndringId';

/** An internal Matrikkel id with its class. Values are longs, kept as strings. */
export interface MatrikkelId {
  type: MatrikkelIdType;
  value: string;
}

/** Prefixed `xsi:type` of each id class. */
export const ID_XSI_TYPE: Record<MatrikkelIdType, string> = {
  MatrikkelenhetId: 'm:MatrikkelenhetId',
  PersonId: 'p:PersonId',
  AdresseId: 'a:AdresseId',
  VegId: 'a:VegId',
  ByggId: 'b:ByggId',
  KommuneId: 'k:KommuneId',
  TeigId: 'm:TeigId',
  ForretningId: 'f:ForretningId',
  MatrikkelEndringId: 'e:MatrikkelEndringId',
};

/** The MatrikkelContext every call carries (FACTS.md: children in this order). */
export interface MatrikkelContextOptions {
  /** @default 'no_NO_B' */
  locale?: string;
  /** 9/10/11 = EUREF89 UTM 31/32/33. @default 11 */
  koordinatsystemKodeId?: number;
  /** A wrong one turns real errors into "Error mapping from …FinderException". @default '4.18' */
  systemVersion?: string;
  /** Any non-empty string naming the client. @default 'registerbro' */
  klientIdentifikasjon?: string;
  /** ISO timestamp of a snapshot; omitted for live data. */
  snapshotVersion?: string;
}

/** The `matrikkelContext` element (in the service namespace; its children in the domain one). */
export function matrikkelContext(options: MatrikkelContextOptions = {}): string {
  return (
    '<s:matrikkelContext>' +
    leaf('d:locale', options.locale ?? 'no_NO_B') +
    '<d:brukOriginaleKoordinater>false</d:brukOriginaleKoordinater>' +
    idEl('d:koordinatsystemKodeId', options.koordinatsystemKodeId ?? 11) +
    leaf('d:systemVersion', options.systemVersion ?? '4.18') +
    leaf('d:klientIdentifikasjon', options.klientIdentifikasjon ?? 'registerbro') +
    (options.snapshotVersion
      ? `<d:snapshotVersion><d:timestamp>${esc(options.snapshotVersion)}</d:timestamp></d:snapshotVersion>`
      : '') +
    '</s:matrikkelContext>'
  );
}

function idList(tag: string, ids: readonly MatrikkelId[], itemPrefix: string): string {
  let out = `<${tag}>`;
  for (const id of ids) out += idEl(`${itemPrefix}:item`, id.value, ID_XSI_TYPE[id.type]);
  return `${out}</${tag}>`;
}

/** StoreService.getObjects: the objects for typed ids (a mixed list is allowed). */
export function getObjectsRequest(ids: readonly MatrikkelId[], ctx: MatrikkelContextOptions): string {
  return payload('Store', 'getObjects', idList('s:ids', ids, 'd') + matrikkelContext(ctx));
}

/**
 * A matrikkelnummer as the API's ident (kommune by kommunenummer, not by internal id): the model's
 * five parts, as `parseMatrikkelnummer` gives them.
 */
export type MatrikkelenhetIdentInput = Matrikkelnummer;

function identContent(ident: MatrikkelenhetIdentInput): string {
  return (
    `<m:kommuneIdent><k:kommunenummer>${esc(ident.kommunenummer)}</k:kommunenummer></m:kommuneIdent>` +
    leaf('m:gardsnummer', ident.gardsnummer) +
    leaf('m:bruksnummer', ident.bruksnummer) +
    leaf('m:festenummer', ident.festenummer) +
    leaf('m:seksjonsnummer', ident.seksjonsnummer)
  );
}

/** MatrikkelenhetService.findMatrikkelenhetIdForIdent: one id, or a FinderException fault. */
export function findMatrikkelenhetIdForIdentRequest(
  ident: MatrikkelenhetIdentInput,
  ctx: MatrikkelContextOptions,
): string {
  return payload(
    'Matrikkelenhet',
    'findMatrikkelenhetIdForIdent',
    node('s:matrikkelenhetIdent', identContent(ident)) + matrikkelContext(ctx),
  );
}

/** MatrikkelenhetService.findMatrikkelenhetIdsForIdents: an entry map of the idents it knows. */
export function findMatrikkelenhetIdsForIdentsRequest(
  idents: readonly MatrikkelenhetIdentInput[],
  ctx: MatrikkelContextOptions,
): string {
  let list = '<s:matrikkelenhetIdentList>';
  for (const ident of idents) list += node('m:item', identContent(ident));
  list += '</s:matrikkelenhetIdentList>';
  return payload('Matrikkelenhet', 'findMatrikkelenhetIdsForIdents', list + matrikkelContext(ctx));
}

/** Search model of findMatrikkelenheter (the fields a scan needs). */
export interface MatrikkelenhetSok {
  kommunenummer: string;
  /** @default 'BESTAENDE' */
  status?: 'BESTAENDE' | 'UTGATTE';
  /** Interval text such as `12` or `1-5,7`. */
  gardsnummer?: string;
  bruksnummer?: string;
}

/** MatrikkelenhetService.findMatrikkelenheter: the ids of the units that match. */
export function findMatrikkelenheterRequest(sok: MatrikkelenhetSok, ctx: MatrikkelContextOptions): string {
  const model =
    leaf('m:kommunenummer', sok.kommunenummer) +
    leaf('m:status', sok.status ?? 'BESTAENDE') +
    leaf('m:gardsnummer', sok.gardsnummer) +
    leaf('m:bruksnummer', sok.bruksnummer);
  return payload(
    'Matrikkelenhet',
    'findMatrikkelenheter',
    node('s:matrikkelenhetsokModel', model) + matrikkelContext(ctx),
  );
}

function matrikkelenhetIdList(tag: string, ids: readonly string[]): string {
  let out = `<${tag}>`;
  for (const id of ids) out += idEl('m:item', id);
  return `${out}</${tag}>`;
}

/**
 * ForretningService.findForretningerForMatrikkelenheter → entry map unit id → forretning ids (the
 * splits and merges that made or retired each unit). The ids are repeated elements, not a list.
 */
export function findForretningerForMatrikkelenheterRequest(
  ids: readonly string[],
  ctx: MatrikkelContextOptions,
): string {
  let inner = '';
  for (const id of ids) inner += idEl('s:matrikkelenhetIds', id);
  return payload('Forretning', 'findForretningerForMatrikkelenheter', inner + matrikkelContext(ctx));
}

/** AdresseService.findAdresserForMatrikkelenheter → entry map unit id → address ids. */
export function findAdresserForMatrikkelenheterRequest(
  ids: readonly string[],
  ctx: MatrikkelContextOptions,
): string {
  return payload(
    'Adresse',
    'findAdresserForMatrikkelenheter',
    matrikkelenhetIdList('s:matrikkelenhetIds', ids) + matrikkelContext(ctx),
  );
}

/** BygningService.findByggForMatrikkelenheter → entry map unit id → bygg ids. */
export function findByggForMatrikkelenheterRequest(
  ids: readonly string[],
  ctx: MatrikkelContextOptions,
): string {
  return payload(
    'Bygning',
    'findByggForMatrikkelenheter',
    matrikkelenhetIdList('s:matrikkelenhetIdList', ids) + matrikkelContext(ctx),
  );
}

/** MatrikkelenhetService.findRepresentasjonspunkterForMatrikkelenheter → entry map unit id → points. */
export function findRepresentasjonspunkterRequest(
  ids: readonly string[],
  ctx: MatrikkelContextOptions,
): string {
  return payload(
    'Matrikkelenhet',
    'findRepresentasjonspunkterForMatrikkelenheter',
    matrikkelenhetIdList('s:matrikkelenhetIds', ids) + matrikkelContext(ctx),
  );
}

/** MatrikkelenhetService.findEideMatrikkelenheterForPersoner → entry map person id → unit ids. */
export function findEideMatrikkelenheterForPersonerRequest(
  personIds: readonly string[],
  ctx: MatrikkelContextOptions,
): string {
  let list = '<s:personIds>';
  for (const id of personIds) list += idEl('p:item', id);
  list += '</s:personIds>';
  return payload('Matrikkelenhet', 'findEideMatrikkelenheterForPersoner', list + matrikkelContext(ctx));
}

/** KommuneService.findKommuneIdForIdent: the internal KommuneId of a kommunenummer. */
export function findKommuneIdForIdentRequest(kommunenummer: string, ctx: MatrikkelContextOptions): string {
  return payload(
    'Kommune',
    'findKommuneIdForIdent',
    `<s:kommuneIdent><k:kommunenummer>${esc(kommunenummer)}</k:kommunenummer></s:kommuneIdent>${matrikkelContext(ctx)}`,
  );
}

/** EndringsloggService.findSisteEndringId: the newest change id (nationwide). */
export function findSisteEndringIdRequest(ctx: MatrikkelContextOptions): string {
  return payload('Endringslogg', 'findSisteEndringId', matrikkelContext(ctx));
}

/** Parameters of EndringsloggService.findEndringer. */
export interface FindEndringerParams {
  /** Exclusive: changes after this id. */
  fromId: string;
  /** @default 'MatrikkelBubbleObject' (all classes) */
  domainklasse?: string;
  /** JSON filter, e.g. `{"kommunefilter": ["1806"]}`. */
  filter: string;
  /** @default 'Aldri' */
  returnerBobler?: 'Aldri' | 'Alltid';
  maksAntall: number;
}

/** EndringsloggService.findEndringer: one page of the change log. */
export function findEndringerRequest(params: FindEndringerParams, ctx: MatrikkelContextOptions): string {
  return payload(
    'Endringslogg',
    'findEndringer',
    idEl('s:id', params.fromId) +
      leaf('s:domainklasse', params.domainklasse ?? 'MatrikkelBubbleObject') +
      leaf('s:filter', params.filter) +
      leaf('s:returnerBobler', params.returnerBobler ?? 'Aldri') +
      leaf('s:maksAntall', params.maksAntall) +
      matrikkelContext(ctx),
  );
}
