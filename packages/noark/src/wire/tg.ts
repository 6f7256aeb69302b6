import { z } from 'zod';

/**
 * Zod schemas of the Noark 5 Tjenestegrensesnitt JSON (`application/vnd.noark5+json`), after the
 * standard's XSDs (arkivstruktur.xsd, sakarkiv.xsd) and its chapter 6 examples. Unknown fields are
 * kept (`loose`) so a richer archive does not break us; the fields we use are checked.
 */

/** The media type of every Noark 5 TG request and response. */
export const NOARK5_MEDIA_TYPE = 'application/vnd.noark5+json';

/** Relation base of the TG's hypermedia links. */
export const REL = 'https://rel.arkivverket.no/noark5/v5/api/';

export const TgLinkWireSchema = z.object({
  href: z.string(),
  templated: z.boolean().optional(),
  type: z.string().optional(),
});
export type TgLinkWire = z.infer<typeof TgLinkWireSchema>;

export const TgLinksWireSchema = z.record(z.string(), TgLinkWireSchema);

/** A code value (`{kode, kodenavn}`), e.g. saksstatus, journalposttype. */
export const TgKodeWireSchema = z.object({ kode: z.string(), kodenavn: z.string().optional() }).loose();
export type TgKodeWire = z.infer<typeof TgKodeWireSchema>;

/** EnkelAdresse. */
export const TgAdresseWireSchema = z
  .object({
    adresselinje1: z.string().optional(),
    adresselinje2: z.string().optional(),
    adresselinje3: z.string().optional(),
    postnr: z.string().optional(),
    poststed: z.string().optional(),
    landkode: z.string().optional(),
  })
  .loose();
export type TgAdresseWire = z.infer<typeof TgAdresseWireSchema>;

/** The system's external key of a record (eksternID), as Noark 5 v5 TG 1.1 adds it. */
export const TgEksternIdWireSchema = z.object({ system: z.string(), eksternID: z.string() });
export type TgEksternIdWire = z.infer<typeof TgEksternIdWireSchema>;

/** PartPerson / PartEnhet (a sakspart), flattened: `personidentifikator` for a person, `organisasjonsnummer` for a unit. */
export const TgPartWireSchema = z
  .object({
    systemID: z.string(),
    partRolle: TgKodeWireSchema,
    navn: z.string(),
    postadresse: TgAdresseWireSchema.optional(),
    personidentifikator: z.array(z.object({ foedselsnummer: z.string() }).loose()).optional(),
    organisasjonsnummer: z.string().optional(),
    skjermetPart: z.boolean().optional(),
    virksomhetsspesifikkeMetadata: z.record(z.string(), z.unknown()).optional(),
    oppdatertDato: z.string().optional(),
    _links: TgLinksWireSchema.optional(),
  })
  .loose();
export type TgPartWire = z.infer<typeof TgPartWireSchema>;

/** A klasse on a saksmappe (primary `klasse` or one of `sekundaerklassifikasjon`). */
export const TgKlasseWireSchema = z
  .object({
    systemID: z.string(),
    klasseID: z.string(),
    tittel: z.string(),
    klassifikasjonssystem: z
      .object({ systemID: z.string().optional(), kode: z.string().optional(), tittel: z.string().optional() })
      .loose()
      .optional(),
    skjermetKlasse: z.boolean().optional(),
    _links: TgLinksWireSchema.optional(),
  })
  .loose();
export type TgKlasseWire = z.infer<typeof TgKlasseWireSchema>;

export const TgSkjermingWireSchema = z
  .object({ tilgangsrestriksjon: TgKodeWireSchema, skjermingshjemmel: z.string() })
  .loose();

/** Saksmappe (sakarkiv.xsd SaksmappeType). */
export const TgSaksmappeWireSchema = z
  .object({
    systemID: z.string().min(1),
    mappeID: z.string().optional(),
    saksaar: z.number().int(),
    sakssekvensnummer: z.number().int(),
    tittel: z.string(),
    saksstatus: TgKodeWireSchema,
    mappetype: TgKodeWireSchema.optional(),
    saksdato: z.string().optional(),
    opprettetDato: z.string().optional(),
    oppdatertDato: z.string().optional(),
    avsluttetDato: z.string().optional(),
    skjerming: TgSkjermingWireSchema.optional(),
    eksternID: z.array(TgEksternIdWireSchema).optional(),
    klasse: TgKlasseWireSchema.optional(),
    sekundaerklassifikasjon: z.array(TgKlasseWireSchema).optional(),
    part: z.array(TgPartWireSchema).optional(),
    _links: TgLinksWireSchema.optional(),
  })
  .loose();
export type TgSaksmappeWire = z.infer<typeof TgSaksmappeWireSchema>;

/** KorrespondansepartPerson / -Enhet, flattened like {@link TgPartWireSchema}. */
export const TgKorrespondansepartWireSchema = z
  .object({
    systemID: z.string(),
    korrespondanseparttype: TgKodeWireSchema,
    navn: z.string(),
    postadresse: TgAdresseWireSchema.optional(),
    personidentifikator: z.array(z.object({ foedselsnummer: z.string() }).loose()).optional(),
    organisasjonsnummer: z.string().optional(),
    skjermetKorrespondansepart: z.boolean().optional(),
    virksomhetsspesifikkeMetadata: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type TgKorrespondansepartWire = z.infer<typeof TgKorrespondansepartWireSchema>;

/** Journalpost (sakarkiv.xsd JournalpostType). */
export const TgJournalpostWireSchema = z
  .object({
    systemID: z.string().min(1),
    journalaar: z.number().int(),
    journalsekvensnummer: z.number().int(),
    journalpostnummer: z.number().int(),
    tittel: z.string(),
    journalposttype: TgKodeWireSchema,
    journalstatus: TgKodeWireSchema,
    journaldato: z.string().optional(),
    referanseForelderMappe: z.string().optional(),
    eksternID: z.array(TgEksternIdWireSchema).optional(),
    korrespondansepart: z.array(TgKorrespondansepartWireSchema).optional(),
    oppdatertDato: z.string().optional(),
    _links: TgLinksWireSchema.optional(),
  })
  .loose();
export type TgJournalpostWire = z.infer<typeof TgJournalpostWireSchema>;

/**
 * A list (chapter 6 "Lister"): `count` is required, `results` may be absent when empty, `next`
 * links the following page. Results are left unknown so one bad entry is quarantined, not fatal.
 */
export const TgListWireSchema = z
  .object({
    count: z.number().int().nonnegative(),
    results: z.array(z.unknown()).optional(),
    _links: TgLinksWireSchema.optional(),
  })
  .loose();
export type TgListWire = z.infer<typeof TgListWireSchema>;

/** The error body (chapter 6 "Feilmeldinger"): `{feil: {kode, beskrivelse}}`. */
export const TgErrorWireSchema = z.object({
  feil: z.object({ kode: z.union([z.number(), z.string()]), beskrivelse: z.string() }),
});
export type TgErrorWire = z.infer<typeof TgErrorWireSchema>;

/** Dokumentobjekt (chapter 6 example), for the contract tests. */
export const TgDokumentobjektWireSchema = z
  .object({
    systemID: z.string(),
    versjonsnummer: z.union([z.string(), z.number()]),
    variantformat: TgKodeWireSchema,
    format: TgKodeWireSchema.optional(),
    referanseDokumentfil: z.string().optional(),
    _links: TgLinksWireSchema,
  })
  .loose();

/** A template for a new mappe (GET on a `ny-*` link returns default values). */
export const TgMalWireSchema = z
  .object({
    tittel: z.string().optional(),
    mappetype: TgKodeWireSchema.optional(),
    _links: TgLinksWireSchema,
  })
  .loose();
