/**
 * Typed forms of the Fiks Arkiv V1 payloads Registerbro sends and reads. Field names are the
 * schema's own (Norwegian) names; only the elements Registerbro and KS's example messages use are
 * modelled — see the XSDs in `schema/V1/` for the rest.
 */

/** `n5mdk:kode`: a code with an optional description. */
export interface Kode {
  kode: string;
  beskrivelse?: string;
}

/** `n5mdk:eksternNoekkel`: the sending system's own key of a record. */
export interface EksternNoekkel {
  fagsystem: string;
  noekkel: string;
}

/** `n5mdk:saksnummer`. */
export interface Saksnummer {
  saksaar: number;
  sakssekvensnummer: number;
}

/** `n5mdk:referanseTilMappe`: one or more ways to name a mappe. */
export interface ReferanseTilMappe {
  systemID?: string;
  mappeID?: string;
  saksnummer?: Saksnummer;
  referanseEksternNoekkel?: EksternNoekkel;
}

/** `n5mdk:referanseTilRegistrering` (also used for referanseTilJournalpost). */
export interface ReferanseTilRegistrering {
  systemID?: string;
  registreringsID?: string;
  referanseEksternNoekkel?: EksternNoekkel;
}

/** `n5mdk:identifikatorer` (administrativEnhet, saksansvarlig, saksbehandler, …). */
export interface Identifikatorer {
  navn?: string;
  identifikator?: string;
  initialer?: string;
  epostadresse?: string;
}

/** A classification (klassifikasjon) on a mappe. */
export interface Klassifikasjon {
  klassifikasjonssystemID?: string;
  klasseID: string;
  tittel?: string;
  erSkjermet?: boolean;
}

/** A party (part) on a mappe or registrering. */
export interface Part {
  partID?: string;
  partNavn: string;
  partRolle?: Kode;
  organisasjonID?: { identifikator: string; landkode?: string };
  personID?: { landkode: string; identifikator: string };
  postadresse: string[];
  postnummer?: string;
  poststed?: string;
  erSkjermet?: boolean;
  erPersonnavn?: boolean;
}

/** A correspondence party on a registrering. */
export interface Korrespondansepart {
  korrespondansepartID?: string;
  korrespondanseparttype: Kode;
  erBehandlingsansvarlig?: boolean;
  korrespondansepartNavn: string;
  organisasjonid?: string;
  personid?: string;
  postadresse: string[];
  postnummer?: string;
  poststed?: string;
  administrativEnhet?: Identifikatorer;
  saksbehandler?: Identifikatorer;
  erSkjermet?: boolean;
}

/** Screening (skjerming). */
export interface Skjerming {
  tilgangsrestriksjon: Kode;
  skjermingshjemmel: string;
}

export interface Dokumentobjekt {
  versjonsnummer?: number;
  variantformat?: Kode;
  format?: Kode;
  filnavn: string;
  referanseDokumentfil: string;
}

export interface Dokumentbeskrivelse {
  dokumenttype?: Kode;
  dokumentstatus?: Kode;
  tittel: string;
  tilknyttetRegistreringSom: Kode;
  dokumentnummer?: number;
  dokumentobjekt: Dokumentobjekt[];
}

/** A mappe or saksmappe in an arkivmelding (opprett). */
export interface MappeMelding {
  type: 'mappe' | 'saksmappe';
  systemID?: string;
  tittel: string;
  offentligTittel?: string;
  part: Part[];
  skjerming?: Skjerming;
  klassifikasjon: Klassifikasjon[];
  referanseEksternNoekkel?: EksternNoekkel;
  mappetype?: Kode;
  // saksmappe only
  saksaar?: number;
  sakssekvensnummer?: number;
  saksdato?: string;
  administrativEnhet?: Identifikatorer;
  saksansvarlig?: Identifikatorer;
  saksstatus?: Kode;
}

/** A registrering/journalpost in an arkivmelding (opprett). */
export interface RegistreringMelding {
  type: 'registrering' | 'journalpost';
  opprettetAv?: string;
  arkivertAv?: string;
  referanseForelderMappe?: ReferanseTilMappe;
  part: Part[];
  dokumentbeskrivelse: Dokumentbeskrivelse[];
  tittel: string;
  offentligTittel?: string;
  korrespondansepart: Korrespondansepart[];
  referanseEksternNoekkel?: EksternNoekkel;
  // journalpost only
  journalposttype?: Kode;
  journalstatus?: Kode;
  journaldato?: string;
  dokumentetsDato?: string;
  mottattDato?: string;
  avskrivningsdato?: string;
}

/** `arkivmelding` (no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett). */
export interface Arkivmelding {
  system: string;
  regel?: string;
  antallFiler: number;
  mappe?: MappeMelding;
  registrering?: RegistreringMelding;
}

/** Changes to the parties of a mappe or registrering. */
export interface PartOppdateringer {
  oppdatering: (Partial<Omit<Part, 'partID' | 'personID' | 'organisasjonID'>> & {
    partID: string;
    personid?: string;
    organisasjonid?: string;
  })[];
  slett: { partID: string }[];
  ny: Part[];
}

export interface KlassifikasjonOppdateringer {
  oppdatering: {
    referanseTilKlassifikasjon: { klassifikasjonssystemID: string; klasseID: string };
    tittel?: string;
  }[];
  slett: { referanseTilKlassifikasjon: { klassifikasjonssystemID: string; klasseID: string } }[];
  ny: Klassifikasjon[];
}

/** `mappeOppdateringer` (saksmappeOppdatering when `type` is `saksmappe`). */
export interface MappeOppdatering {
  type: 'mappe' | 'saksmappe';
  referanseTilMappe: ReferanseTilMappe;
  tittel?: string;
  partOppdateringer?: PartOppdateringer;
  klassifikasjonOppdateringer?: KlassifikasjonOppdateringer;
  referanseEksternNoekkel?: EksternNoekkel;
  saksstatus?: Kode;
}

/** `registreringOppdateringer` (journalpostOppdatering when `type` is `journalpost`). */
export interface RegistreringOppdatering {
  type: 'registrering' | 'journalpost';
  referanseTilRegistrering: ReferanseTilRegistrering;
  partOppdateringer?: PartOppdateringer;
  tittel?: string;
  referanseEksternNoekkel?: EksternNoekkel;
  journalstatus?: Kode;
}

/** `arkivmeldingOppdatering` (no.ks.fiks.arkiv.v1.arkivering.arkivmelding.oppdater): one of the two. */
export interface ArkivmeldingOppdatering {
  mappe?: MappeOppdatering;
  registrering?: RegistreringOppdatering;
}

/** One search parameter of a `sok`. */
export interface SokParameter {
  operator:
    | 'equal'
    | 'notequal'
    | 'between'
    | 'lessthan'
    | 'lessequal'
    | 'greaterthan'
    | 'greaterequal'
    | 'inlist'
    | 'wildcardquery';
  felt: string;
  sokVerdier:
    | { stringvalues: string[] }
    | { datevalues: string[] }
    | { intvalues: number[] }
    | { eksternNoekkel: EksternNoekkel };
}

/** `sok` (no.ks.fiks.arkiv.v1.innsyn.sok). */
export interface Sok {
  system: string;
  take: number;
  skip: number;
  sokdefinisjon: {
    type:
      | 'mappeSokdefinisjon'
      | 'saksmappeSokdefinisjon'
      | 'journalpostSokdefinisjon'
      | 'registreringSokdefinisjon';
    responstype: 'minimum' | 'noekler' | 'utvidet';
    parametere: SokParameter[];
    sortering?: { felt: string; retning: 'stigende' | 'synkende' }[];
  };
}

/** `mappeHent` / `registreringHent`. */
export interface MappeHent {
  system: string;
  referanseTilMappe: ReferanseTilMappe;
  inkluder: string[];
}

export interface RegistreringHent {
  system: string;
  referanseTilRegistrering: ReferanseTilRegistrering;
  inkluder: string[];
}

/** `nyAvskrivning` (no.ks.fiks.arkiv.v1.arkivering.avskrivning.opprett). */
export interface NyAvskrivning {
  avskrivning: { avskrivningsdato: string; avskrevetAv: Identifikatorer; avskrivningsmaate: Kode };
  referanseTilJournalpost: ReferanseTilRegistrering;
  korrespondansepartID: string;
}

/** `dokumentobjektOpprett` (no.ks.fiks.arkiv.v1.arkivering.dokumentobjekt.opprett). */
export interface DokumentobjektOpprett {
  referanseTilDokumentbeskrivelse: { systemID?: string; referanseEksternNoekkel?: EksternNoekkel };
  dokumentobjekt: Dokumentobjekt;
}

/** The archive's receipt for an arkivmelding (opprett.kvittering). */
export interface ArkivmeldingKvittering {
  mappe?:
    | {
        systemID: string;
        referanseEksternNoekkel?: EksternNoekkel;
        opprettetEllerEksisterende: 'Opprettet' | 'Eksisterende';
        saksaar?: number;
        sakssekvensnummer?: number;
        saksdato?: string;
      }
    | { feilet: Feilmelding };
  registrering?:
    | {
        systemID: string;
        referanseEksternNoekkel?: EksternNoekkel;
        opprettetEllerEksisterende: 'Opprettet' | 'Eksisterende';
        journalaar?: number;
        journalsekvensnummer?: number;
        journalpostnummer?: number;
      }
    | { feilet: Feilmelding };
}

/** A saksmappe as the archive returns it (arkivstruktur:saksmappe). */
export interface SaksmappeResultat {
  systemID: string;
  mappeID: string;
  tittel: string;
  opprettetDato: string;
  opprettetAv: string;
  avsluttetDato?: string;
  part: (Part & { partRolle: Kode })[];
  skjerming?: Skjerming;
  klassifikasjon: (Klassifikasjon & { klassifikasjonssystemID: string })[];
  referanseEksternNoekkel?: EksternNoekkel;
  mappetype?: Kode;
  saksaar: number;
  sakssekvensnummer: number;
  saksdato: string;
  administrativEnhet: Identifikatorer;
  saksansvarlig: Identifikatorer;
  saksstatus: Kode;
}

/** A journalpost as the archive returns it (arkivstruktur:journalpost). */
export interface JournalpostResultat {
  systemID: string;
  opprettetDato: string;
  opprettetAv: string;
  referanseForelderMappe?: ReferanseTilMappe;
  tittel: string;
  korrespondansepart: (Korrespondansepart & { korrespondansepartID: string })[];
  referanseEksternNoekkel?: EksternNoekkel;
  journalaar: number;
  journalsekvensnummer: number;
  journalpostnummer: number;
  journalposttype: Kode;
  journalstatus: Kode;
  journaldato: string;
}

export interface MappeHentResultat {
  saksmappe?: SaksmappeResultat;
}

export interface RegistreringHentResultat {
  journalpost?: JournalpostResultat;
}

/** `sokeresultat` (utvidet) with saksmappe results. */
export interface SokeresultatUtvidet {
  system: string;
  take: number;
  skip: number;
  count: number;
  resultattype: 'saksmappe';
  saksmapper: SaksmappeResultat[];
}

/** `sokeresultatNoekler` with saksmappe keys. */
export interface SokeresultatNoekler {
  system: string;
  take: number;
  skip: number;
  count: number;
  resultattype: 'saksmappe';
  saksmapper: {
    systemID?: string;
    mappeID?: string;
    referanseEksternNoekkel?: EksternNoekkel;
    saksnummer?: Saksnummer;
  }[];
}

/** Body of the three error replies. */
export interface Feilmelding {
  feilId: string;
  feilmelding: string;
}
