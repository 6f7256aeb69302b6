/**
 * The simulator's writers of Matrikkel domain objects (as `item` elements of a
 * MatrikkelBubbleObjectList), following the domain schemas in specs/matrikkel/schema/matrikkelapi-v1.
 * Element order is the schema's: header (id, oppdateringsdato, versjonId, oppdatertAv, versjon)
 * first, then each subtype's fields.
 */
import { idEl, leaf, localDate, timestamp } from '../wire/xml.js';

/** Common header of a MatrikkelBubbleObjectWithHistory. */
export interface ObjectHeader {
  id: string;
  idType: string;
  updatedAt: string;
  version: number;
}

function header(h: ObjectHeader): string {
  return (
    idEl('d:id', h.id, h.idType) +
    timestamp('d:oppdateringsdato', h.updatedAt) +
    leaf('d:versjonId', h.version) +
    '<d:oppdatertAv>simulator</d:oppdatertAv>' +
    leaf('d:versjon', h.version)
  );
}

/** Header of a MatrikkelComponentWithHistory (eierforhold, teig reference). */
function componentHeader(updatedAt: string, version: number): string {
  return (
    timestamp('d:oppdateringsdato', updatedAt) +
    leaf('d:versjonId', version) +
    '<d:oppdatertAv>simulator</d:oppdatertAv>'
  );
}

/** A representasjonspunkt in the given namespace prefix (its children are in `g`). */
export function representasjonspunkt(tag: string, x: number, y: number, kodeId = 11): string {
  return (
    `<${tag}>` +
    idEl('g:koordinatsystemKodeId', kodeId) +
    `<g:position><g:x>${x}</g:x><g:y>${y}</g:y></g:position>` +
    `</${tag}>`
  );
}

export interface EierforholdXml {
  /** `person` (FysiskPerson) or `organisation` (JuridiskPerson) — both hold a PersonId. */
  kind: 'person' | 'organisation';
  personId: string;
  teller: number;
  nevner: number;
  kommuneId: string;
  id: string;
}

export interface MatrikkelenhetXml extends ObjectHeader {
  /** `Grunneiendom`, `Festegrunn`, `Seksjon`, `Anleggseiendom`, `Jordsameie`. */
  xsiType: string;
  kommuneId: string;
  gardsnummer: number;
  bruksnummer: number;
  festenummer: number;
  seksjonsnummer: number;
  bruksnavn?: string;
  /** Area in m² (sent as historiskOppgittAreal). */
  area?: number;
  teigId: string;
  eierforhold: EierforholdXml[];
  utgatt: boolean;
}

/** A matrikkelenhet `item`. */
export function matrikkelenhetItem(m: MatrikkelenhetXml): string {
  let eiere = '';
  for (const e of m.eierforhold) {
    eiere +=
      `<m:item xsi:type="m:${e.kind === 'person' ? 'PersonTinglystEierforhold' : 'JuridiskPersonTinglystEierforhold'}">` +
      componentHeader(m.updatedAt, m.version) +
      leaf('m:id', e.id) +
      idEl('m:kommuneId', e.kommuneId) +
      idEl('m:eierforholdKodeId', 0) +
      `<m:andel><u:teller>${e.teller}</u:teller><u:nevner>${e.nevner}</u:nevner></m:andel>` +
      idEl('m:eierId', e.personId) +
      '</m:item>';
  }
  return (
    `<d:item xsi:type="m:${m.xsiType}">` +
    header(m) +
    '<m:matrikkelnummer>' +
    idEl('m:kommuneId', m.kommuneId) +
    leaf('m:gardsnummer', m.gardsnummer) +
    leaf('m:bruksnummer', m.bruksnummer) +
    leaf('m:festenummer', m.festenummer) +
    leaf('m:seksjonsnummer', m.seksjonsnummer) +
    '</m:matrikkelnummer>' +
    leaf('m:historiskOppgittAreal', m.area) +
    '<m:tinglyst>true</m:tinglyst>' +
    leaf('m:bruksnavn', m.bruksnavn) +
    '<m:teigerForMatrikkelenhet><m:item>' +
    componentHeader(m.updatedAt, m.version) +
    '<m:hovedteig>true</m:hovedteig>' +
    idEl('m:teigId', m.teigId) +
    '</m:item></m:teigerForMatrikkelenhet>' +
    `<m:eierforhold>${eiere}</m:eierforhold>` +
    leaf('m:utgatt', m.utgatt) +
    '</d:item>'
  );
}

export interface PersonXml extends ObjectHeader {
  kind: 'person' | 'organisation';
  nummer: string;
  navn: string;
  fornavn?: string;
  etternavn?: string;
}

/** A FysiskPerson or JuridiskPerson `item`. */
export function personItem(p: PersonXml): string {
  const type = p.kind === 'person' ? 'FysiskPerson' : 'JuridiskPerson';
  const extra = p.kind === 'person' ? leaf('p:etternavn', p.etternavn) + leaf('p:fornavn', p.fornavn) : '';
  return `<d:item xsi:type="p:${type}">${header(p)}${leaf('p:nummer', p.nummer)}${leaf('p:navn', p.navn)}${extra}</d:item>`;
}

export interface AdresseXml extends ObjectHeader {
  kind: 'vegadresse' | 'matrikkeladresse';
  x: number;
  y: number;
  matrikkelenhetId: string;
  vegId?: string;
  nummer?: number;
  bokstav?: string;
  undernummer?: number;
}

/** A Vegadresse or Matrikkeladresse `item`. */
export function adresseItem(a: AdresseXml): string {
  const type = a.kind === 'vegadresse' ? 'Vegadresse' : 'Matrikkeladresse';
  const own =
    a.kind === 'vegadresse'
      ? (a.vegId === undefined ? '' : idEl('a:vegId', a.vegId)) +
        leaf('a:nummer', a.nummer) +
        leaf('a:bokstav', a.bokstav)
      : leaf('a:undernummer', a.undernummer);
  return (
    `<d:item xsi:type="a:${type}">` +
    header(a) +
    representasjonspunkt('a:representasjonspunkt', a.x, a.y) +
    idEl('a:matrikkelenhetId', a.matrikkelenhetId) +
    own +
    '</d:item>'
  );
}

export interface VegXml extends ObjectHeader {
  /** Absent only when the simulator corrupts an address on purpose. */
  kommuneId?: string;
  adressekode: number;
  adressenavn: string;
}

/** A Veg `item`. */
export function vegItem(v: VegXml): string {
  return (
    '<d:item xsi:type="a:Veg">' +
    header(v) +
    (v.kommuneId === undefined ? '' : idEl('a:kommuneId', v.kommuneId)) +
    leaf('a:adressekode', v.adressekode) +
    leaf('a:adressenavn', v.adressenavn) +
    '</d:item>'
  );
}

export interface BygningXml extends ObjectHeader {
  bygningsnummer: string;
  kommuneId: string;
  x: number;
  y: number;
  bygningstypeKodeId: number;
  bygningsstatusKodeId: number;
}

/** A Bygning `item`. */
export function bygningItem(b: BygningXml): string {
  return (
    '<d:item xsi:type="b:Bygning">' +
    header(b) +
    leaf('b:bygningsnummer', b.bygningsnummer) +
    idEl('b:kommuneId', b.kommuneId) +
    representasjonspunkt('b:representasjonspunkt', b.x, b.y) +
    idEl('b:bygningsstatusKodeId', b.bygningsstatusKodeId) +
    idEl('b:bygningstypeKodeId', b.bygningstypeKodeId) +
    '</d:item>'
  );
}

export interface KommuneXml extends ObjectHeader {
  kommunenummer: string;
  kommunenavn: string;
  /** ISO date the number went out of use (renumbered). */
  gyldigTilDato?: string;
  nyKommuneId?: string;
}

/** A Kommune `item`. */
export function kommuneItem(k: KommuneXml): string {
  return (
    '<d:item xsi:type="k:Kommune">' +
    header(k) +
    leaf('k:kommunenummer', k.kommunenummer) +
    leaf('k:kommunenavn', k.kommunenavn) +
    localDate('k:gyldigTilDato', k.gyldigTilDato) +
    (k.nyKommuneId ? idEl('k:nyKommuneId', k.nyKommuneId) : '') +
    '<k:koordinatsystemKodeId><d:value>11</d:value></k:koordinatsystemKodeId>' +
    '</d:item>'
  );
}

export interface ArealIForretningXml {
  matrikkelenhetId: string;
  /** Negative for a unit that gives area (avgiver), positive for one that receives it. */
  arealendring?: number;
  omnummerertFra?: { kommuneId: string; g: number; b: number; f: number; s: number };
  omnummerertTil?: { kommuneId: string; g: number; b: number; f: number; s: number };
}

export interface ForretningXml extends ObjectHeader {
  /** `FradelingForretning`, `SammenslaingForretning`, `OmnummereringKommuneendringForretning`. */
  xsiType: string;
  date: string;
  areal: ArealIForretningXml[];
}

function matrikkelnummerEl(
  tag: string,
  m: { kommuneId: string; g: number; b: number; f: number; s: number },
): string {
  return (
    `<${tag}>` +
    idEl('m:kommuneId', m.kommuneId) +
    leaf('m:gardsnummer', m.g) +
    leaf('m:bruksnummer', m.b) +
    leaf('m:festenummer', m.f) +
    leaf('m:seksjonsnummer', m.s) +
    `</${tag}>`
  );
}

/** A Forretning `item` (the matrikkel's record of a split, merge or renumbering). */
export function forretningItem(f: ForretningXml): string {
  let areal = '';
  for (const a of f.areal) {
    areal +=
      '<f:item>' +
      componentHeader(f.updatedAt, f.version) +
      idEl('f:matrikkelenhetId', a.matrikkelenhetId) +
      leaf('f:arealendring', a.arealendring) +
      (a.omnummerertFra ? matrikkelnummerEl('f:omnummerertFra', a.omnummerertFra) : '') +
      (a.omnummerertTil ? matrikkelnummerEl('f:omnummerertTil', a.omnummerertTil) : '') +
      '</f:item>';
  }
  return (
    `<d:item xsi:type="f:${f.xsiType}">` +
    header(f) +
    localDate('f:matrikkelforingsdato', f.date) +
    `<f:arealIForretninger>${areal}</f:arealIForretninger>` +
    '</d:item>'
  );
}

export interface EndringXml {
  id: string;
  endringstype: 'Nyoppretting' | 'Typeendring' | 'Oppdatering' | 'Sletting';
  bubbleId: string;
  bubbleXsiType: string;
  at: string;
  kommuneIds: string[];
}

/** A MatrikkelEndring `item` of an `endringList`. */
export function endringItem(e: EndringXml): string {
  let kommuner = '';
  for (const k of e.kommuneIds) kommuner += idEl('k:item', k);
  return (
    '<e:item xsi:type="e:MatrikkelEndring">' +
    idEl('d:id', e.id, 'e:MatrikkelEndringId') +
    leaf('e:endringstype', e.endringstype) +
    idEl('e:endretBubbleId', e.bubbleId, e.bubbleXsiType) +
    timestamp('e:endringstidspunkt', e.at) +
    `<e:kommuneIdsForEndring>${kommuner}</e:kommuneIdsForEndring>` +
    '</e:item>'
  );
}
