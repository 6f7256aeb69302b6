/**
 * zod schemas of the Matrikkel objects as `parseXml` returns them (prefixes removed, every value a
 * string, `item`/`entry` always arrays, `xsi:type` as `@_type`). Unknown fields are accepted and left
 * out of the result: the live service (systemVersion 4.x) sends more fields than the 2022 schema
 * names, the mappers read only what is declared here, and copying the rest cost a full scan ~0.5 GB
 * of garbage.
 */
import { z } from 'zod';

const text = z.string();
const optText = z.string().optional();

/** `{value}` id element, with the class as `@_type` when the service sends it. */
export const IdWireSchema = z.object({ value: text, '@_type': optText });
export type IdWire = z.infer<typeof IdWireSchema>;

/** `{item*}` id list (an empty list parses as `''`). */
export const IdListWireSchema = z.union([
  z.literal(''),
  z.object({ item: z.array(IdWireSchema).optional() }),
]);

const TimestampWireSchema = z.object({ timestamp: text });

const PositionWireSchema = z.object({ x: text, y: text, z: optText });

/** A Representasjonspunkt: `koordinatsystemKodeId{value}`, `position{x, y}` (x east, y north). */
export const RepresentasjonspunktWireSchema = z.object({
  koordinatsystemKodeId: IdWireSchema.optional(),
  position: PositionWireSchema.optional(),
});
export type RepresentasjonspunktWire = z.infer<typeof RepresentasjonspunktWireSchema>;

const HeaderShape = {
  '@_type': text,
  id: IdWireSchema,
  oppdateringsdato: TimestampWireSchema.optional(),
  versjon: optText,
};

/** An eierforhold (Person/JuridiskPerson tinglyst or ikke tinglyst, Kontaktinstans, …). */
export const EierforholdWireSchema = z.object({
  '@_type': optText,
  id: optText,
  kommuneId: IdWireSchema.optional(),
  andel: z.object({ teller: text, nevner: text }).optional(),
  eierId: IdWireSchema.optional(),
  datoFra: z.object({ date: text }).optional(),
});
export type EierforholdWire = z.infer<typeof EierforholdWireSchema>;

/** A matrikkelenhet (Grunneiendom, Festegrunn, Seksjon, Anleggseiendom, Jordsameie, AnnenMatrikkelenhet). */
export const MatrikkelenhetWireSchema = z.object({
  ...HeaderShape,
  matrikkelnummer: z.object({
    kommuneId: IdWireSchema,
    gardsnummer: text,
    bruksnummer: text,
    festenummer: optText,
    seksjonsnummer: optText,
  }),
  bruksnavn: optText,
  historiskOppgittAreal: optText,
  teigerForMatrikkelenhet: z
    .union([
      z.literal(''),
      z.object({
        item: z.array(z.object({ hovedteig: optText, teigId: IdWireSchema.optional() })).optional(),
      }),
    ])
    .optional(),
  eierforhold: z
    .union([z.literal(''), z.object({ item: z.array(EierforholdWireSchema).optional() })])
    .optional(),
  utgatt: optText,
});
export type MatrikkelenhetWire = z.infer<typeof MatrikkelenhetWireSchema>;

/** A Person (FysiskPerson, JuridiskPerson, AnnenPerson): `nummer` is the fnr/D-nummer or orgnr. */
export const PersonWireSchema = z.object({
  ...HeaderShape,
  nummer: optText,
  navn: optText,
  fornavn: optText,
  etternavn: optText,
});
export type PersonWire = z.infer<typeof PersonWireSchema>;

/** A Vegadresse or Matrikkeladresse. */
export const AdresseWireSchema = z.object({
  ...HeaderShape,
  representasjonspunkt: RepresentasjonspunktWireSchema.optional(),
  matrikkelenhetId: IdWireSchema.optional(),
  vegId: IdWireSchema.optional(),
  nummer: optText,
  bokstav: optText,
  undernummer: optText,
});
export type AdresseWire = z.infer<typeof AdresseWireSchema>;

/** A Veg (street): kommuneId, adressekode, adressenavn. */
export const VegWireSchema = z.object({
  ...HeaderShape,
  kommuneId: IdWireSchema.optional(),
  adressekode: optText,
  adressenavn: optText,
});
export type VegWire = z.infer<typeof VegWireSchema>;

/** A Bygg/Bygning. */
export const BygningWireSchema = z.object({
  ...HeaderShape,
  bygningsnummer: optText,
  kommuneId: IdWireSchema.optional(),
  representasjonspunkt: RepresentasjonspunktWireSchema.optional(),
  bygningstypeKodeId: IdWireSchema.optional(),
  bygningsstatusKodeId: IdWireSchema.optional(),
});
export type BygningWire = z.infer<typeof BygningWireSchema>;

/** A Kommune. */
export const KommuneWireSchema = z.object({
  ...HeaderShape,
  kommunenummer: text,
  kommunenavn: optText,
  nyKommuneId: IdWireSchema.optional(),
});
export type KommuneWire = z.infer<typeof KommuneWireSchema>;

const MatrikkelnummerWireSchema = z.object({
  kommuneId: IdWireSchema,
  gardsnummer: text,
  bruksnummer: text,
  festenummer: optText,
  seksjonsnummer: optText,
});
export type MatrikkelnummerWire = z.infer<typeof MatrikkelnummerWireSchema>;

/** A Forretning (split, merge, renumbering, …) with the units it touched. */
export const ForretningWireSchema = z.object({
  ...HeaderShape,
  matrikkelforingsdato: z.object({ date: text }).optional(),
  arealIForretninger: z
    .union([
      z.literal(''),
      z.object({
        item: z
          .array(
            z.object({
              matrikkelenhetId: IdWireSchema.optional(),
              arealendring: optText,
              omnummerertFra: MatrikkelnummerWireSchema.optional(),
              omnummerertTil: MatrikkelnummerWireSchema.optional(),
            }),
          )
          .optional(),
      }),
    ])
    .optional(),
});
export type ForretningWire = z.infer<typeof ForretningWireSchema>;

/** One MatrikkelEndring of the endringslogg. */
export const EndringWireSchema = z.object({
  id: IdWireSchema,
  endringstype: z.enum(['Nyoppretting', 'Typeendring', 'Oppdatering', 'Sletting']).optional(),
  endretBubbleId: IdWireSchema.optional(),
  endringstidspunkt: TimestampWireSchema.optional(),
  kommuneIdsForEndring: IdListWireSchema.optional(),
});
export type EndringWire = z.infer<typeof EndringWireSchema>;

/** findEndringer's `return`. */
export const EndringerWireSchema = z.object({
  endringList: z.union([z.literal(''), z.object({ item: z.array(z.unknown()).optional() })]),
  alleEndringerFunnet: z.enum(['true', 'false']),
  sisteEndringIdProsessert: IdWireSchema,
});
export type EndringerWire = z.infer<typeof EndringerWireSchema>;

/** Local name of an `xsi:type` value (`ns3:Grunneiendom` → `Grunneiendom`). */
export function localType(type: string | undefined): string {
  if (!type) return '';
  const i = type.indexOf(':');
  return i === -1 ? type : type.slice(i + 1);
}
