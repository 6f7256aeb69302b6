import { z } from 'zod';
import { AddressSchema } from './address.js';
import {
  FodselsnummerTextSchema,
  KommunenummerTextSchema,
  MatrikkelnummerTextSchema,
  OrganisasjonsnummerTextSchema,
  PointSchema,
  SourcesSchema,
} from './common.js';

/** A fraction such as 1/2 for an owner's share. */
export const ShareSchema = z.object({
  numerator: z.number().int().positive(),
  denominator: z.number().int().positive(),
});
export type Share = z.infer<typeof ShareSchema>;

/**
 * An owner of a matrikkelenhet: a person (fnr/D-nummer), an organisation (orgnr) or someone the
 * register does not identify (`unknown`, e.g. an unregistered estate). Owners join with
 * Folkeregisteret and Enhetsregisteret through `identifier`.
 */
export const OwnerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('person'),
    identifier: FodselsnummerTextSchema,
    name: z.string().optional(),
    share: ShareSchema.optional(),
    role: z.string().optional(),
  }),
  z.object({
    kind: z.literal('organisation'),
    identifier: OrganisasjonsnummerTextSchema,
    name: z.string().optional(),
    share: ShareSchema.optional(),
    role: z.string().optional(),
  }),
  z.object({
    kind: z.literal('unknown'),
    name: z.string().optional(),
    share: ShareSchema.optional(),
    role: z.string().optional(),
  }),
]);
export type Owner = z.infer<typeof OwnerSchema>;

export const PropertyTypeSchema = z.enum([
  'grunneiendom',
  'festegrunn',
  'seksjon',
  'anleggseiendom',
  'jordsameie',
  'annen',
]);
export type PropertyType = z.infer<typeof PropertyTypeSchema>;

/** A matrikkelenhet (cadastral unit) with its owners, addresses, buildings and position. */
export const PropertySchema = z.object({
  /** Full text form, `kkkk-g/b/f/s`. The key everywhere. */
  matrikkelnummer: MatrikkelnummerTextSchema,
  kommunenummer: KommunenummerTextSchema,
  type: PropertyTypeSchema,
  /** `utgaatt` units were split, merged or deleted; `successors` names what replaced them. */
  status: z.enum(['levende', 'utgaatt']),
  successors: z.array(MatrikkelnummerTextSchema).optional(),
  /** Area in square metres. */
  area: z.number().nonnegative().optional(),
  owners: z.array(OwnerSchema),
  addresses: z.array(AddressSchema),
  /** Bygningsnummer of the buildings on the unit. */
  buildings: z.array(z.string()),
  representationPoint: PointSchema.optional(),
  sources: SourcesSchema,
});
export type Property = z.infer<typeof PropertySchema>;

/** A building from Matrikkelen. */
export const BuildingSchema = z.object({
  bygningsnummer: z.string().regex(/^\d{1,9}$/, 'expected up to 9 digits'),
  /** Bygningstype code (NS 3457), e.g. `111` enebolig. */
  bygningstype: z.string().optional(),
  status: z.string().optional(),
  matrikkelnummer: z.array(MatrikkelnummerTextSchema),
  addresses: z.array(AddressSchema).optional(),
  representationPoint: PointSchema.optional(),
  sources: SourcesSchema,
});
export type Building = z.infer<typeof BuildingSchema>;

/** An agricultural holding: landbrukseiendom + driftsenhet, from Landbruksregisteret. */
export const AgriculturalHoldingSchema = z.object({
  id: z.string(),
  kommunenummer: KommunenummerTextSchema,
  produsentnummer: z.string().optional(),
  foretakOrgnr: OrganisasjonsnummerTextSchema.optional(),
  /** Matrikkelnummer of the units in the holding; the first is the main unit. */
  properties: z.array(MatrikkelnummerTextSchema).min(1),
  areas: z.array(z.object({ kind: z.string(), daa: z.number().nonnegative() })).optional(),
  sources: SourcesSchema,
});
export type AgriculturalHolding = z.infer<typeof AgriculturalHoldingSchema>;
