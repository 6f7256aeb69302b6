/**
 * Element sequences of the matrikkelføring schemas, transcribed from the XSDs in specs/matrikkel/schema
 * (gi-matrikkelfoering-v1/matrikkelfoering.xsd, fiks-matrikkelfoering-v2/no.ks.fiks.matrikkelfoering.v2.grunnlag.xsd
 * and their giFellesGeometri/giFellesKodeliste imports) by a script; do not edit by hand.
 */
import type { SchemaDescriptor } from './descriptor.js';

/** Matrikkelføring v1 (`http://rep.geointegrasjon.no/Matrikkel/foering/v1`). */
export const MATRIKKELFOERING_V1: SchemaDescriptor = {
  namespace: 'http://rep.geointegrasjon.no/Matrikkel/foering/v1',
  root: 'Byggesak',
  rootType: 'mf:ByggesakType',
  types: {
    'mf:AdresseListe': {
      fields: [{ name: 'adresse', type: 'mf:AdresseType', ns: 'mf', list: true, optional: true }],
    },
    'mf:AdresseType': {
      fields: [
        { name: 'adressekode', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressenavn', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressenummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressebokstav', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'seksjonsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:AvloepstilknytningType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:BruksenhetListe': {
      fields: [{ name: 'bruksenhet', type: 'mf:BruksenhetType', ns: 'mf', list: true, optional: true }],
    },
    'mf:BruksenhetType': {
      fields: [
        { name: 'bruksenhetsnummer', type: 'mf:BruksenhetsnummerType', ns: 'mf' },
        {
          name: 'bruksenhetstype',
          type: 'mf:BruksenhetstypeKodeType',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'bruksareal', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        {
          name: 'kjoekkentilgang',
          type: 'mf:KjoekkentilgangKodeType',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'antallRom', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'antallBad', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'antallWC', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'adresse', type: 'mf:AdresseType', ns: 'mf', optional: true, nillable: true },
        { name: 'matrikkelnummer', type: 'mf:MatrikkelnummerType', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf' },
      ],
    },
    'mf:BruksenhetsnummerListe': {
      fields: [
        { name: 'bruksenhetsnummer', type: 'mf:BruksenhetsnummerType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:BruksenhetsnummerType': {
      fields: [
        { name: 'etasjeplan', type: 'mf:EtasjeplanType', ns: 'mf' },
        { name: 'etasjenummer', type: 'xs:integer', ns: 'mf' },
        { name: 'loepenummer', type: 'xs:integer', ns: 'mf' },
      ],
    },
    'mf:BruksenhetstypeKodeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:ByggesakListe': {
      fields: [{ name: 'byggesak', type: 'mf:ByggesakType', ns: 'mf', list: true, optional: true }],
    },
    'mf:ByggesakType': {
      fields: [
        { name: 'systemId', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'tittel', type: 'xs:string', ns: 'mf' },
        { name: 'saksnummer', type: 'mf:SaksnummerType', ns: 'mf' },
        { name: 'kategori', type: 'mf:ProsesskategoriType', ns: 'mf' },
        { name: 'tiltakstype', type: 'mf:TiltaktypeListe', ns: 'mf', optional: true, nillable: true },
        { name: 'vedtak', type: 'mf:VedtakType', ns: 'mf', optional: true, nillable: true },
        { name: 'ansvarligSoeker', type: 'mf:PartType', ns: 'mf', optional: true, nillable: true },
        { name: 'tiltakshaver', type: 'mf:PartType', ns: 'mf', optional: true, nillable: true },
        {
          name: 'matrikkelopplysninger',
          type: 'mf:MatrikkelopplysningerType',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'adresse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'referanseAndreSaker', type: 'mf:SaksnummerListe', ns: 'mf', optional: true, nillable: true },
        { name: 'referanseKlagesaker', type: 'mf:SaksnummerListe', ns: 'mf', optional: true, nillable: true },
        { name: 'registrertDato', type: 'xs:dateTime', ns: 'mf' },
        { name: 'saksbehandler', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'posisjon', type: 'geo:Punkt', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:BygningListe': {
      fields: [{ name: 'bygning', type: 'mf:BygningType', ns: 'mf', list: true, optional: true }],
    },
    'mf:BygningType': {
      fields: [
        { name: 'bygningsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'naeringsgruppe', type: 'mf:NaeringsgruppeType', ns: 'mf', optional: true, nillable: true },
        { name: 'bygningstype', type: 'mf:BygningstypeType', ns: 'mf', optional: true, nillable: true },
        { name: 'bebygdAreal', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksenheter', type: 'mf:BruksenhetListe', ns: 'mf', optional: true, nillable: true },
        { name: 'etasjer', type: 'mf:EtasjeListe', ns: 'mf', optional: true, nillable: true },
        { name: 'avlop', type: 'mf:AvloepstilknytningType', ns: 'mf', optional: true, nillable: true },
        { name: 'energiforsyning', type: 'mf:EnergiforsyningType', ns: 'mf', optional: true, nillable: true },
        { name: 'vannforsyning', type: 'mf:VanntilknytningType', ns: 'mf', optional: true, nillable: true },
        { name: 'harHeis', type: 'xs:boolean', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf' },
      ],
    },
    'mf:DispensasjonListe': {
      fields: [{ name: 'dispensasjon', type: 'mf:DispensasjonType', ns: 'mf', list: true, optional: true }],
    },
    'mf:DispensasjonType': {
      fields: [
        { name: 'dispensasjonstype', type: 'mf:DispensasjonstypeType', ns: 'mf' },
        { name: 'begrunnelse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:DispensasjonstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EnergiforsyningListe': {
      fields: [
        { name: 'energiforsyning', type: 'mf:EnergiforsyningType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:EnergiforsyningType': {
      fields: [
        { name: 'varmefordeling', type: 'mf:VarmefordelingListe', ns: 'mf', optional: true, nillable: true },
        {
          name: 'energiforsyning',
          type: 'mf:EnergiforsyningTypeListe',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'relevant', type: 'xs:boolean', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:EnergiforsyningTypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EnergiforsyningTypeListe': {
      fields: [
        {
          name: 'energiforsyningType',
          type: 'mf:EnergiforsyningTypeType',
          ns: 'mf',
          list: true,
          optional: true,
        },
      ],
    },
    'mf:EnkelAdresseListe': {
      fields: [{ name: 'enkeladresse', type: 'mf:EnkelAdresseType', ns: 'mf', list: true, optional: true }],
    },
    'mf:EnkelAdresseType': {
      fields: [
        { name: 'adresselinje1', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adresselinje2', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adresselinje3', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'postnr', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'poststed', type: 'xs:string', ns: 'mf' },
        { name: 'landkode', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:EtasjeListe': {
      fields: [{ name: 'etasje', type: 'mf:EtasjeType', ns: 'mf', list: true, optional: true }],
    },
    'mf:EtasjeType': {
      fields: [
        { name: 'etasjenummer', type: 'xs:integer', ns: 'mf' },
        { name: 'etasjeplan', type: 'mf:EtasjeplanType', ns: 'mf' },
        { name: 'antallBoenheter', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTilAnnet', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTilBolig', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTotalt', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTilBolig', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTotalt', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTilAnnet', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf' },
      ],
    },
    'mf:EtasjeplanType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:KjoekkentilgangKodeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:MatrikkelopplysningerListe': {
      fields: [
        {
          name: 'matrikkelopplysninger',
          type: 'mf:MatrikkelopplysningerType',
          ns: 'mf',
          list: true,
          optional: true,
        },
      ],
    },
    'mf:MatrikkelopplysningerType': {
      fields: [
        {
          name: 'eiendomsidentifikasjon',
          type: 'mf:MatrikkelnummerListe',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'adresse', type: 'mf:AdresseListe', ns: 'mf', optional: true, nillable: true },
        { name: 'bygning', type: 'mf:BygningListe', ns: 'mf', optional: true, nillable: true },
        { name: 'oppdatertDato', type: 'xs:dateTime', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:PartListe': { fields: [{ name: 'part', type: 'mf:PartType', ns: 'mf', list: true, optional: true }] },
    'mf:PartType': {
      fields: [
        { name: 'partstype', type: 'mf:PartstypeType', ns: 'mf' },
        { name: 'foedselsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'organisasjonsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'navn', type: 'xs:string', ns: 'mf' },
        { name: 'adresse', type: 'mf:EnkelAdresseType', ns: 'mf', optional: true, nillable: true },
        { name: 'telefonnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'mobilnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'epost', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:PartstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:ProsesskategoriType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:SaksnummerListe': {
      fields: [{ name: 'saksnummer', type: 'mf:SaksnummerType', ns: 'mf', list: true, optional: true }],
    },
    'mf:SaksnummerType': {
      fields: [
        { name: 'saksaar', type: 'xs:integer', ns: 'mf' },
        { name: 'sakssekvensnummer', type: 'xs:integer', ns: 'mf' },
      ],
    },
    'mf:TiltaktypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:TiltaktypeListe': {
      fields: [{ name: 'tiltaktype', type: 'mf:TiltaktypeType', ns: 'mf', list: true, optional: true }],
    },
    'mf:VanntilknytningType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:VarmefordelingType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:VarmefordelingListe': {
      fields: [
        { name: 'varmefordeling', type: 'mf:VarmefordelingType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:VedtakListe': {
      fields: [{ name: 'vedtak', type: 'mf:VedtakType', ns: 'mf', list: true, optional: true }],
    },
    'mf:VedtakType': {
      fields: [
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'vedtaksdato', type: 'xs:dateTime', ns: 'mf' },
        { name: 'status', type: 'mf:VedtakstypeType', ns: 'mf' },
        { name: 'dispensasjoner', type: 'mf:DispensasjonListe', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:VedtakstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:BygningstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:MatrikkelnummerListe': {
      fields: [
        { name: 'matrikkelnummer', type: 'mf:MatrikkelnummerType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:MatrikkelnummerType': {
      fields: [
        { name: 'kommunenummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'gaardsnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'festenummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'seksjonsnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:NaeringsgruppeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EndringsstatusListe': {
      fields: [
        { name: 'endringsstatus', type: 'mf:EndringsstatusType', ns: 'mf', list: true, optional: true },
      ],
    },
    'geo:KoordinatsystemKodeListe': {
      fields: [{ name: 'liste', type: 'geo:KoordinatsystemKode', ns: 'geo', list: true, optional: true }],
    },
    'geo:KoordinatsystemKode': { base: 'kode:Kode', fields: [] },
    'geo:FlateListe': {
      fields: [{ name: 'liste', type: 'geo:Flate', ns: 'geo', list: true, optional: true }],
    },
    'geo:Flate': {
      base: 'geo:Geometri',
      fields: [
        { name: 'indreAvgrensning', type: 'geo:RingListe', ns: 'geo', optional: true },
        { name: 'ytreAvgrensning', type: 'geo:Ring', ns: 'geo' },
      ],
    },
    'geo:Geometri': { fields: [{ name: 'koordinatsystem', type: 'geo:KoordinatsystemKode', ns: 'geo' }] },
    'geo:KoordinatListe': {
      fields: [{ name: 'liste', type: 'geo:Koordinat', ns: 'geo', list: true, optional: true }],
    },
    'geo:Koordinat': {
      fields: [
        { name: 'x', type: 'xs:double', ns: 'geo' },
        { name: 'y', type: 'xs:double', ns: 'geo' },
        { name: 'z', type: 'xs:double', ns: 'geo', optional: true },
      ],
    },
    'geo:KurveListe': {
      fields: [{ name: 'liste', type: 'geo:Kurve', ns: 'geo', list: true, optional: true }],
    },
    'geo:Kurve': {
      base: 'geo:Geometri',
      fields: [{ name: 'linje', type: 'geo:KoordinatListe', ns: 'geo', optional: true }],
    },
    'geo:PunktListe': {
      fields: [{ name: 'liste', type: 'geo:Punkt', ns: 'geo', list: true, optional: true }],
    },
    'geo:Punkt': { base: 'geo:Geometri', fields: [{ name: 'posisjon', type: 'geo:Koordinat', ns: 'geo' }] },
    'geo:RingListe': { fields: [{ name: 'liste', type: 'geo:Ring', ns: 'geo', list: true, optional: true }] },
    'geo:Ring': { fields: [{ name: 'lukketKurve', type: 'geo:KoordinatListe', ns: 'geo', optional: true }] },
    'geo:BboxListe': { fields: [{ name: 'liste', type: 'geo:Bbox', ns: 'geo', list: true, optional: true }] },
    'geo:Bbox': {
      base: 'geo:Geometri',
      fields: [
        { name: 'nedreVenstre', type: 'geo:Koordinat', ns: 'geo' },
        { name: 'oevreHoeyre', type: 'geo:Koordinat', ns: 'geo' },
      ],
    },
    'geo:OmraadeListe': {
      fields: [{ name: 'liste', type: 'geo:Omraade', ns: 'geo', list: true, optional: true }],
    },
    'geo:Omraade': {
      fields: [
        { name: 'punkt', type: 'geo:Punkt', ns: 'geo', optional: true },
        { name: 'flate', type: 'geo:Flate', ns: 'geo', optional: true },
      ],
    },
    'kode:KodeListe': {
      fields: [{ name: 'liste', type: 'kode:Kode', ns: 'kode', list: true, optional: true }],
    },
    'kode:Kode': {
      fields: [
        { name: 'kodeverdi', type: 'xs:string', ns: 'kode' },
        { name: 'kodebeskrivelse', type: 'xs:string', ns: 'kode', optional: true },
        { name: 'erGyldig', type: 'xs:boolean', ns: 'kode', optional: true },
      ],
    },
  },
  enums: { 'mf:EndringsstatusType': ['Eksisterende', 'Ny', 'Endret', 'Fjernet'] },
};

/** Matrikkelføring v2 (`http://rep.geointegrasjon.no/Matrikkel/foering/v2`). */
export const MATRIKKELFOERING_V2: SchemaDescriptor = {
  namespace: 'http://rep.geointegrasjon.no/Matrikkel/foering/v2',
  root: 'Byggesak',
  rootType: 'mf:ByggesakType',
  types: {
    'mf:AdresseListe': {
      fields: [{ name: 'adresse', type: 'mf:AdresseType', ns: 'mf', list: true, optional: true }],
    },
    'mf:AdresseType': {
      fields: [
        { name: 'adressekode', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressenavn', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressenummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adressebokstav', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'undernummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:AvloepstilknytningType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:BruksenhetListe': {
      fields: [{ name: 'bruksenhet', type: 'mf:BruksenhetType', ns: 'mf', list: true, optional: true }],
    },
    'mf:BruksenhetType': {
      fields: [
        { name: 'bruksenhetsnummer', type: 'mf:BruksenhetsnummerType', ns: 'mf', optional: true },
        { name: 'bruksenhetstype', type: 'mf:BruksenhetstypeKodeType', ns: 'mf', nillable: true },
        { name: 'bruksareal', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        {
          name: 'kjoekkentilgang',
          type: 'mf:KjoekkentilgangKodeType',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'antallRom', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'antallBad', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'antallWC', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'adresse', type: 'mf:AdresseType', ns: 'mf', optional: true, nillable: true },
        { name: 'matrikkelnummer', type: 'mf:MatrikkelnummerType', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf', optional: true },
      ],
    },
    'mf:BruksenhetsnummerListe': {
      fields: [
        { name: 'bruksenhetsnummer', type: 'mf:BruksenhetsnummerType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:BruksenhetsnummerType': {
      fields: [
        { name: 'etasjeplan', type: 'mf:EtasjeplanType', ns: 'mf' },
        { name: 'etasjenummer', type: 'xs:integer', ns: 'mf' },
        { name: 'loepenummer', type: 'xs:integer', ns: 'mf' },
      ],
    },
    'mf:BruksenhetstypeKodeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:ByggesakListe': {
      fields: [{ name: 'byggesak', type: 'mf:ByggesakType', ns: 'mf', list: true, optional: true }],
    },
    'mf:ByggesakType': {
      fields: [
        { name: 'systemId', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'tittel', type: 'xs:string', ns: 'mf' },
        { name: 'saksnummer', type: 'mf:SaksnummerType', ns: 'mf' },
        { name: 'kategori', type: 'mf:ProsesskategoriType', ns: 'mf' },
        { name: 'vedtak', type: 'mf:VedtakType', ns: 'mf', optional: true, nillable: true },
        { name: 'ansvarligSoeker', type: 'mf:PartType', ns: 'mf', optional: true, nillable: true },
        { name: 'tiltakshaver', type: 'mf:PartType', ns: 'mf', optional: true, nillable: true },
        {
          name: 'matrikkelopplysninger',
          type: 'mf:MatrikkelopplysningerType',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'adresse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'referanseAndreSaker', type: 'mf:SaksnummerListe', ns: 'mf', optional: true, nillable: true },
        { name: 'referanseKlagesaker', type: 'mf:SaksnummerListe', ns: 'mf', optional: true, nillable: true },
        { name: 'registrertDato', type: 'xs:dateTime', ns: 'mf' },
        { name: 'saksbehandler', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'posisjon', type: 'geo:Punkt', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:ByggIdentListe': {
      fields: [{ name: 'byggident', type: 'mf:ByggIdentType', ns: 'mf', list: true, optional: true }],
    },
    'mf:ByggIdentType': {
      fields: [
        { name: 'bygningsnummer', type: 'xs:long', ns: 'mf' },
        { name: 'bygningsloepenummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:BygningListe': {
      fields: [{ name: 'bygning', type: 'mf:BygningType', ns: 'mf', list: true, optional: true }],
    },
    'mf:BygningType': {
      fields: [
        { name: 'naeringsgruppe', type: 'mf:NaeringsgruppeType', ns: 'mf', optional: true, nillable: true },
        { name: 'bebygdAreal', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bygningstype', type: 'mf:BygningstypeType', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksenheter', type: 'mf:BruksenhetListe', ns: 'mf', optional: true, nillable: true },
        { name: 'etasjer', type: 'mf:EtasjeListe', ns: 'mf', optional: true, nillable: true },
        { name: 'avlop', type: 'mf:AvloepstilknytningType', ns: 'mf', optional: true, nillable: true },
        { name: 'energiforsyning', type: 'mf:EnergiforsyningType', ns: 'mf', optional: true, nillable: true },
        { name: 'vannforsyning', type: 'mf:VanntilknytningType', ns: 'mf', optional: true, nillable: true },
        { name: 'harHeis', type: 'xs:boolean', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf', optional: true },
        { name: 'representasjonsPunkt', type: 'geo:Punkt', ns: 'mf', optional: true, nillable: true },
        { name: 'tiltakid', type: 'xs:string', ns: 'mf' },
        { name: 'byggIdent', type: 'mf:ByggIdentType', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:DispensasjonListe': {
      fields: [{ name: 'dispensasjon', type: 'mf:DispensasjonType', ns: 'mf', list: true, optional: true }],
    },
    'mf:DispensasjonType': {
      fields: [
        { name: 'dispensasjonstype', type: 'mf:DispensasjonstypeType', ns: 'mf' },
        { name: 'begrunnelse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:DispensasjonstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EnergiforsyningListe': {
      fields: [
        { name: 'energiforsyning', type: 'mf:EnergiforsyningType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:EnergiforsyningType': {
      fields: [
        { name: 'varmefordeling', type: 'mf:VarmefordelingListe', ns: 'mf', optional: true, nillable: true },
        {
          name: 'energiforsyning',
          type: 'mf:EnergiforsyningTypeListe',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'relevant', type: 'xs:boolean', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:EnergiforsyningTypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EnkelAdresseListe': {
      fields: [{ name: 'enkeladresse', type: 'mf:EnkelAdresseType', ns: 'mf', list: true, optional: true }],
    },
    'mf:EnkelAdresseType': {
      fields: [
        { name: 'adresselinje1', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adresselinje2', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'adresselinje3', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'postnr', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'poststed', type: 'xs:string', ns: 'mf' },
        { name: 'landkode', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:EtasjeListe': {
      fields: [{ name: 'etasje', type: 'mf:EtasjeType', ns: 'mf', list: true, optional: true }],
    },
    'mf:EtasjeType': {
      fields: [
        { name: 'etasjenummer', type: 'xs:integer', ns: 'mf' },
        { name: 'etasjeplan', type: 'mf:EtasjeplanType', ns: 'mf' },
        { name: 'antallBoenheter', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTilAnnet', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTilBolig', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksarealTotalt', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTilBolig', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTotalt', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'bruttoarealTilAnnet', type: 'xs:double', ns: 'mf', optional: true, nillable: true },
        { name: 'endring', type: 'mf:EndringsstatusType', ns: 'mf', optional: true },
      ],
    },
    'mf:EtasjeplanType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:KjoekkentilgangKodeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:MatrikkelopplysningerListe': {
      fields: [
        {
          name: 'matrikkelopplysninger',
          type: 'mf:MatrikkelopplysningerType',
          ns: 'mf',
          list: true,
          optional: true,
        },
      ],
    },
    'mf:MatrikkelopplysningerType': {
      fields: [
        {
          name: 'eiendomsidentifikasjon',
          type: 'mf:MatrikkelnummerListe',
          ns: 'mf',
          optional: true,
          nillable: true,
        },
        { name: 'adresse', type: 'mf:AdresseListe', ns: 'mf', optional: true, nillable: true },
        { name: 'bygning', type: 'mf:BygningListe', ns: 'mf', optional: true, nillable: true },
        { name: 'oppdatertDato', type: 'xs:dateTime', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:PartListe': { fields: [{ name: 'part', type: 'mf:PartType', ns: 'mf', list: true, optional: true }] },
    'mf:PartType': {
      fields: [
        { name: 'partstype', type: 'mf:PartstypeType', ns: 'mf' },
        { name: 'foedselsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'organisasjonsnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'navn', type: 'xs:string', ns: 'mf' },
        { name: 'adresse', type: 'mf:EnkelAdresseType', ns: 'mf', optional: true, nillable: true },
        { name: 'telefonnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'mobilnummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'epost', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:PartstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:ProsesskategoriType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:SaksnummerListe': {
      fields: [{ name: 'saksnummer', type: 'mf:SaksnummerType', ns: 'mf', list: true, optional: true }],
    },
    'mf:SaksnummerType': {
      fields: [
        { name: 'saksaar', type: 'xs:integer', ns: 'mf' },
        { name: 'sakssekvensnummer', type: 'xs:integer', ns: 'mf' },
      ],
    },
    'mf:TiltakListe': {
      fields: [{ name: 'tiltak', type: 'mf:TiltakType', ns: 'mf', list: true, optional: true }],
    },
    'mf:TiltakType': {
      fields: [
        { name: 'tiltakid', type: 'xs:string', ns: 'mf' },
        { name: 'tiltakstype', type: 'mf:TiltaktypeType', ns: 'mf' },
      ],
    },
    'mf:TiltaktypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:VanntilknytningType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:VarmefordelingType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:VedtakListe': {
      fields: [{ name: 'vedtak', type: 'mf:VedtakType', ns: 'mf', list: true, optional: true }],
    },
    'mf:VedtakType': {
      fields: [
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'vedtaksdato', type: 'xs:dateTime', ns: 'mf' },
        { name: 'status', type: 'mf:VedtakstypeType', ns: 'mf' },
        { name: 'tiltak', type: 'mf:TiltakListe', ns: 'mf', optional: true, nillable: true },
        { name: 'dispensasjoner', type: 'mf:DispensasjonListe', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:VedtakstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:BygningstypeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:MatrikkelnummerListe': {
      fields: [
        { name: 'matrikkelnummer', type: 'mf:MatrikkelnummerType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:MatrikkelnummerType': {
      fields: [
        { name: 'kommunenummer', type: 'xs:string', ns: 'mf', optional: true, nillable: true },
        { name: 'gaardsnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'bruksnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'festenummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
        { name: 'seksjonsnummer', type: 'xs:integer', ns: 'mf', optional: true, nillable: true },
      ],
    },
    'mf:NaeringsgruppeType': {
      fields: [
        { name: 'kode', type: 'xs:string', ns: 'mf' },
        { name: 'beskrivelse', type: 'xs:string', ns: 'mf', optional: true },
      ],
    },
    'mf:EndringsstatusListe': {
      fields: [
        { name: 'endringsstatus', type: 'mf:EndringsstatusType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:VarmefordelingListe': {
      fields: [
        { name: 'varmefordeling', type: 'mf:VarmefordelingType', ns: 'mf', list: true, optional: true },
      ],
    },
    'mf:EnergiforsyningTypeListe': {
      fields: [
        {
          name: 'energiforsyningType',
          type: 'mf:EnergiforsyningTypeType',
          ns: 'mf',
          list: true,
          optional: true,
        },
      ],
    },
    'geo:KoordinatsystemKodeListe': {
      fields: [{ name: 'liste', type: 'geo:KoordinatsystemKode', ns: 'geo', list: true, optional: true }],
    },
    'geo:KoordinatsystemKode': { base: 'kode:Kode', fields: [] },
    'geo:FlateListe': {
      fields: [{ name: 'liste', type: 'geo:Flate', ns: 'geo', list: true, optional: true }],
    },
    'geo:Flate': {
      base: 'geo:Geometri',
      fields: [
        { name: 'indreAvgrensning', type: 'geo:RingListe', ns: 'geo', optional: true },
        { name: 'ytreAvgrensning', type: 'geo:Ring', ns: 'geo' },
      ],
    },
    'geo:Geometri': { fields: [{ name: 'koordinatsystem', type: 'geo:KoordinatsystemKode', ns: 'geo' }] },
    'geo:KoordinatListe': {
      fields: [{ name: 'liste', type: 'geo:Koordinat', ns: 'geo', list: true, optional: true }],
    },
    'geo:Koordinat': {
      fields: [
        { name: 'x', type: 'xs:double', ns: 'geo' },
        { name: 'y', type: 'xs:double', ns: 'geo' },
        { name: 'z', type: 'xs:double', ns: 'geo', optional: true },
      ],
    },
    'geo:Kurve': {
      base: 'geo:Geometri',
      fields: [{ name: 'linje', type: 'geo:KoordinatListe', ns: 'geo', optional: true }],
    },
    'geo:PunktListe': {
      fields: [{ name: 'liste', type: 'geo:Punkt', ns: 'geo', list: true, optional: true }],
    },
    'geo:Punkt': { base: 'geo:Geometri', fields: [{ name: 'posisjon', type: 'geo:Koordinat', ns: 'geo' }] },
    'geo:RingListe': { fields: [{ name: 'liste', type: 'geo:Ring', ns: 'geo', list: true, optional: true }] },
    'geo:Ring': { fields: [{ name: 'lukketKurve', type: 'geo:KoordinatListe', ns: 'geo', optional: true }] },
    'geo:BboxListe': { fields: [{ name: 'liste', type: 'geo:Bbox', ns: 'geo', list: true, optional: true }] },
    'geo:Bbox': {
      base: 'geo:Geometri',
      fields: [
        { name: 'nedreVenstre', type: 'geo:Koordinat', ns: 'geo' },
        { name: 'oevreHoeyre', type: 'geo:Koordinat', ns: 'geo' },
      ],
    },
    'geo:OmraadeListe': {
      fields: [{ name: 'liste', type: 'geo:Omraade', ns: 'geo', list: true, optional: true }],
    },
    'geo:Omraade': {
      fields: [
        { name: 'punkt', type: 'geo:Punkt', ns: 'geo', optional: true },
        { name: 'flate', type: 'geo:Flate', ns: 'geo', optional: true },
      ],
    },
    'kode:KodeListe': {
      fields: [{ name: 'liste', type: 'kode:Kode', ns: 'kode', list: true, optional: true }],
    },
    'kode:Kode': {
      fields: [
        { name: 'kodeverdi', type: 'xs:string', ns: 'kode' },
        { name: 'kodebeskrivelse', type: 'xs:string', ns: 'kode', optional: true },
        { name: 'erGyldig', type: 'xs:boolean', ns: 'kode', optional: true },
      ],
    },
  },
  enums: { 'mf:EndringsstatusType': ['Eksisterende', 'Ny', 'Endret', 'Fjernet'] },
};
