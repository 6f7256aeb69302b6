import { z } from 'zod';
import { isFodselsnummer } from '../identifiers/fodselsnummer.js';
import { isKommunenummer } from '../identifiers/kommunenummer.js';
import { isMatrikkelnummer } from '../identifiers/matrikkelnummer.js';
import { isOrganisasjonsnummer } from '../identifiers/organisasjonsnummer.js';

/** Where a value came from: the system, its id there, its version/etag and when we read it. */
export const SourceRefSchema = z.object({
  system: z.string().min(1),
  id: z.string().min(1),
  version: z.string().optional(),
  /** ISO 8601 timestamp of the read. */
  fetchedAt: z.string(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** Every canonical entity carries at least one source reference. */
export const SourcesSchema = z.array(SourceRefSchema).min(1);

/** ISO calendar date `YYYY-MM-DD`. */
export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');

/** Coordinate reference systems Registerbro works in, as `EPSG:nnnn`. */
export const CrsSchema = z.enum(['EPSG:25832', 'EPSG:25833', 'EPSG:25835', 'EPSG:4258', 'EPSG:4326']);
export type Crs = z.infer<typeof CrsSchema>;

/** A point with an explicit CRS (east/north for UTM, lon/lat for geographic). */
export const PointSchema = z.object({
  crs: CrsSchema,
  x: z.number().finite(),
  y: z.number().finite(),
});
export type Point = z.infer<typeof PointSchema>;

/** Text form of a full matrikkelnummer: `kkkk-g/b/f/s`, e.g. `1806-12/3/0/0`. */
export const MatrikkelnummerTextSchema = z
  .string()
  .regex(/^\d{4}-\d{1,5}\/\d{1,4}\/\d{1,4}\/\d{1,4}$/, 'expected kkkk-g/b/f/s')
  .refine(
    (value) => isMatrikkelnummer(value),
    'not a valid matrikkelnummer (unknown kommune or out of range)',
  );

/** A valid fødselsnummer, D-nummer, H-nummer or synthetic (Tenor) number: date and control digits checked. */
export const FodselsnummerTextSchema = z
  .string()
  .regex(/^\d{11}$/, 'expected 11 digits')
  .refine((value) => isFodselsnummer(value), 'failed the fødselsnummer date or control-digit check');
/** A valid organisasjonsnummer (9 digits, mod-11). */
export const OrganisasjonsnummerTextSchema = z
  .string()
  .regex(/^\d{9}$/, 'expected 9 digits')
  .refine((value) => isOrganisasjonsnummer(value), 'failed the organisasjonsnummer control digit');
/** A known kommunenummer, current or historic. */
export const KommunenummerTextSchema = z
  .string()
  .regex(/^\d{4}$/, 'expected 4 digits')
  .refine((value) => isKommunenummer(value), 'unknown kommunenummer');
/** 4 digits. */
export const PostnummerTextSchema = z.string().regex(/^\d{4}$/, 'expected 4 digits');
