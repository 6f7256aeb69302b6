import { z } from 'zod';

/**
 * Wire schemas of Folkeregisteret's person document (`Folkeregisterperson`, OpenAPI
 * "offentlig med hjemmel" v1.5, components `folkeregisteret.tilgjengeliggjoering.person.v1.*`).
 *
 * Lenient where we do not look (unknown fields are accepted and left out of the result: the mapper
 * reads only what is declared here, and a copy of everything else would be garbage; enum values are
 * plain strings so a new code from Skatteetaten never rejects a document) and strict where we do
 * (the fields the mapper reads have their types checked).
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/oppslag/
 */

const historic = {
  erGjeldende: z.boolean().optional(),
  gyldighetstidspunkt: z.string().optional(),
  opphoerstidspunkt: z.string().optional(),
  ajourholdstidspunkt: z.string().optional(),
  kilde: z.string().optional(),
  aarsak: z.string().optional(),
};

/** `Poststed`: postnummer + poststedsnavn. */
export const PoststedWireSchema = z.object({
  postnummer: z.string().optional(),
  poststedsnavn: z.string().optional(),
});

/** `Adressenummer`: husnummer (text) and husbokstav. */
export const AdressenummerWireSchema = z.object({
  husnummer: z.string(),
  husbokstav: z.string().optional(),
});

/** `Vegadresse` (street address of a bostedsadresse). */
export const VegadresseWireSchema = z.object({
  adressekode: z.string().optional(),
  adressenavn: z.string(),
  adressenummer: AdressenummerWireSchema.optional(),
  bruksenhetsnummer: z.string().optional(),
  bruksenhetstype: z.string().optional(),
  kommunenummer: z.string(),
  poststed: PoststedWireSchema.optional(),
  adressetilleggsnavn: z.string().optional(),
  coAdressenavn: z.string().optional(),
});
/** A validated vegadresse. */
export type VegadresseWire = z.infer<typeof VegadresseWireSchema>;

/** `VegadresseForPost` (street address used as postal address; no kommunenummer). */
export const VegadresseForPostWireSchema = z.object({
  adressekode: z.string().optional(),
  adressenavn: z.string().optional(),
  adressenummer: AdressenummerWireSchema.optional(),
  bruksenhetsnummer: z.string().optional(),
  poststed: PoststedWireSchema.optional(),
  adressetilleggsnavn: z.string().optional(),
  coAdressenavn: z.string().optional(),
});

/** `Matrikkelnummer` as the person document writes it. */
export const MatrikkelnummerWireSchema = z.object({
  kommunenummer: z.string(),
  gaardsnummer: z.number().int().optional(),
  bruksnummer: z.number().int().optional(),
  festenummer: z.number().int().optional(),
});

/** `Matrikkeladresse` (an address named by the unit's matrikkelnummer). */
export const MatrikkeladresseWireSchema = z.object({
  matrikkelnummer: MatrikkelnummerWireSchema,
  undernummer: z.number().int().optional(),
  bruksenhetsnummer: z.string().optional(),
  adressetilleggsnavn: z.string().optional(),
  poststed: PoststedWireSchema.optional(),
});
/** A validated matrikkeladresse. */
export type MatrikkeladresseWire = z.infer<typeof MatrikkeladresseWireSchema>;

/** `Folkeregisteridentifikator`: one fødselsnummer or D-nummer with its status. */
export const FolkeregisteridentifikatorWireSchema = z.object({
  ...historic,
  foedselsEllerDNummer: z.string(),
  identifikatortype: z.string(),
  status: z.string(),
});
/** A validated identifier element. */
export type FolkeregisteridentifikatorWire = z.infer<typeof FolkeregisteridentifikatorWireSchema>;

/** `Folkeregisterpersonnavn`. */
export const NavnWireSchema = z.object({
  ...historic,
  fornavn: z.string(),
  mellomnavn: z.string().optional(),
  etternavn: z.string(),
});
/** A validated name element. */
export type NavnWire = z.infer<typeof NavnWireSchema>;

/** `Folkeregisterpersonstatus`. */
export const PersonstatusWireSchema = z.object({ ...historic, status: z.string() });

/** `Foedsel`. */
export const FoedselWireSchema = z.object({
  ...historic,
  foedselsaar: z.string().optional(),
  foedselsdato: z.string().optional(),
});

/** `Doedsfall`. */
export const DoedsfallWireSchema = z.object({ ...historic, doedsdato: z.string().optional() });

/** `UtflyttingFraNorge`. */
export const UtflyttingWireSchema = z.object({
  ...historic,
  utflyttingsdato: z.string().optional(),
  tilflyttingsland: z.string().optional(),
});

/** `GraderingAvAdresse`: the adressebeskyttelse element. */
export const AdressebeskyttelseWireSchema = z.object({ ...historic, graderingsnivaa: z.string() });

/** `Bostedsadresse`: the residential address. */
export const BostedsadresseWireSchema = z.object({
  ...historic,
  adressegradering: z.string(),
  adresseIdentifikatorFraMatrikkelen: z.string().optional(),
  flyttedato: z.string().optional(),
  vegadresse: VegadresseWireSchema.optional(),
  matrikkeladresse: MatrikkeladresseWireSchema.optional(),
  ukjentBosted: z.object({ bostedskommune: z.string().optional() }).optional(),
});
/** A validated bostedsadresse element. */
export type BostedsadresseWire = z.infer<typeof BostedsadresseWireSchema>;

/** `Kontaktadresse`: the postal address in Norway. */
export const PostadresseWireSchema = z.object({
  ...historic,
  adressegradering: z.string(),
  vegadresse: VegadresseForPostWireSchema.optional(),
  postboksadresse: z
    .object({
      postboks: z.string(),
      postbokseier: z.string().optional(),
      poststed: PoststedWireSchema.optional(),
    })
    .optional(),
  postadresseIFrittFormat: z
    .object({
      adresselinje: z.array(z.string()).optional(),
      poststed: PoststedWireSchema.optional(),
    })
    .optional(),
});
/** A validated postadresse element. */
export type PostadresseWire = z.infer<typeof PostadresseWireSchema>;

/** `KontaktadresseIUtlandet`: a postal address abroad. */
export const PostadresseIUtlandetWireSchema = z.object({
  ...historic,
  adressegradering: z.string(),
  utenlandskAdresse: z
    .object({
      landkode: z.string(),
      adressenavn: z.string().optional(),
      bygning: z.string().optional(),
      postboks: z.string().optional(),
      postkode: z.string().optional(),
      byEllerStedsnavn: z.string().optional(),
      region: z.string().optional(),
      coAdressenavn: z.string().optional(),
    })
    .optional(),
  utenlandskAdresseIFrittFormat: z
    .object({
      adresselinje: z.array(z.string()).optional(),
      byEllerStedsnavn: z.string().optional(),
      landkode: z.string(),
      postkode: z.string().optional(),
    })
    .optional(),
});
/** A validated postadresseIUtlandet element. */
export type PostadresseIUtlandetWire = z.infer<typeof PostadresseIUtlandetWireSchema>;

/**
 * The person document (`Folkeregisterperson`). Every element list is optional because `part=…`
 * asks for a subset. `doedsfall` is one object in the v1.5 OpenAPI; older documents send a list,
 * so both are accepted.
 */
export const FolkeregisterpersonWireSchema = z.object({
  identifikasjonsnummer: z.array(FolkeregisteridentifikatorWireSchema).optional(),
  navn: z.array(NavnWireSchema).optional(),
  status: z.array(PersonstatusWireSchema).optional(),
  foedsel: z.array(FoedselWireSchema).optional(),
  doedsfall: z.union([DoedsfallWireSchema, z.array(DoedsfallWireSchema)]).optional(),
  utflytting: z.array(UtflyttingWireSchema).optional(),
  adressebeskyttelse: z.array(AdressebeskyttelseWireSchema).optional(),
  bostedsadresse: z.array(BostedsadresseWireSchema).optional(),
  postadresse: z.array(PostadresseWireSchema).optional(),
  postadresseIUtlandet: z.array(PostadresseIUtlandetWireSchema).optional(),
});
/** A validated person document (the declared fields only). */
export type FolkeregisterpersonWire = z.infer<typeof FolkeregisterpersonWireSchema>;

/** Body of `POST personer/bulkoppslag` (`PersonBulkoppslagRequest`). */
export interface PersonBulkoppslagRequestWire {
  foedselsEllerDNummer: string[];
}

/** One answer in a bulk lookup (`Oppslag`): the person, or a per-identifier error text. */
export const OppslagWireSchema = z.object({
  foedselsEllerDNummer: z.string(),
  folkeregisterperson: FolkeregisterpersonWireSchema.optional(),
  feilmelding: z.object({ feilmelding: z.string() }).optional(),
});
/** A validated bulk lookup entry. */
export type OppslagWire = z.infer<typeof OppslagWireSchema>;

/**
 * Response of `POST personer/bulkoppslag` (`PersonBulkoppslagResponse`). `oppslag` is optional in
 * the OpenAPI, but an answer without it would silently turn every requested person into "missing",
 * so it is required here.
 */
export const PersonBulkoppslagResponseWireSchema = z.object({
  oppslag: z.array(OppslagWireSchema),
});
/** A validated bulk lookup response. */
export type PersonBulkoppslagResponseWire = z.infer<typeof PersonBulkoppslagResponseWireSchema>;

/** An Oppslag shell: only the key is checked, so one bad person does not hide the others. */
export const OppslagShellWireSchema = z.object({ foedselsEllerDNummer: z.string() });
