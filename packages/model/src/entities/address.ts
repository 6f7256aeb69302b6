import { z } from 'zod';
import {
  KommunenummerTextSchema,
  MatrikkelnummerTextSchema,
  PointSchema,
  PostnummerTextSchema,
  SourcesSchema,
} from './common.js';

/**
 * An address. `vegadresse` (street + number) and `matrikkeladresse` (by gnr/bnr) are the official
 * kinds in Matrikkelen; `postboks`, `utenlandsk` and `fritekst` occur as postal addresses.
 */
export const AddressKindSchema = z.enum([
  'vegadresse',
  'matrikkeladresse',
  'postboks',
  'utenlandsk',
  'fritekst',
]);
export type AddressKind = z.infer<typeof AddressKindSchema>;

export const AddressSchema = z.object({
  kind: AddressKindSchema,
  /** Matrikkelen's address id, when known. */
  adresseId: z.string().optional(),
  kommunenummer: KommunenummerTextSchema.optional(),
  /** Street code within the kommune (adressekode). */
  adressekode: z.string().optional(),
  adressenavn: z.string().optional(),
  husnummer: z.number().int().nonnegative().optional(),
  bokstav: z.string().optional(),
  /** For a matrikkeladresse: the unit it names. */
  matrikkelnummer: MatrikkelnummerTextSchema.optional(),
  undernummer: z.number().int().optional(),
  bruksenhetsnummer: z.string().optional(),
  postnummer: PostnummerTextSchema.optional(),
  poststed: z.string().optional(),
  /** Free-text lines for postal, foreign and free-text addresses. */
  adresselinjer: z.array(z.string()).optional(),
  /** ISO 3166 alpha-2 or alpha-3 country code for foreign addresses. */
  landkode: z.string().optional(),
  representationPoint: PointSchema.optional(),
  /** First day the address applied (flytting). */
  validFrom: z.string().optional(),
  sources: SourcesSchema.optional(),
});
export type Address = z.infer<typeof AddressSchema>;
