import { z } from 'zod';
import { AddressSchema } from './address.js';
import { FodselsnummerTextSchema, IsoDateSchema, SourcesSchema } from './common.js';

/** The kinds of person identifier Folkeregisteret issues. */
export const PersonIdentifierKindSchema = z.enum(['fnr', 'dnr', 'hnr']);
export type PersonIdentifierKind = z.infer<typeof PersonIdentifierKindSchema>;

/** Person status, normalised from Folkeregisteret's `status` (bosatt, utflyttet, doed, opphoert, …). */
export const PersonStatusSchema = z.enum([
  'bosatt',
  'utflyttet',
  'doed',
  'opphoert',
  'forsvunnet',
  'ikkeBosatt',
  'midlertidig',
  'inaktiv',
  'foedselsregistrert',
]);
export type PersonStatus = z.infer<typeof PersonStatusSchema>;

/**
 * Address protection (adressebeskyttelse). Anything but `ugradert` means the person's address
 * must never leave the population register's data.
 */
export const AdressebeskyttelseSchema = z.enum([
  'ugradert',
  'fortrolig',
  'strengtFortrolig',
  'strengtFortroligUtland',
]);
export type Adressebeskyttelse = z.infer<typeof AdressebeskyttelseSchema>;

/** True when the person's address is protected and must not be copied anywhere. */
export function isProtected(level: Adressebeskyttelse): boolean {
  return level !== 'ugradert';
}

export const PersonIdentifierSchema = z.object({
  value: FodselsnummerTextSchema,
  kind: PersonIdentifierKindSchema,
  /** True for synthetic (Tenor/test) numbers. */
  synthetic: z.boolean().optional(),
  /** False for a historic identifier that has been replaced. */
  current: z.boolean(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
});
export type PersonIdentifier = z.infer<typeof PersonIdentifierSchema>;

/**
 * A person as the population register knows them. By construction a protected person carries no
 * address: the refinement rejects a `Person` with `adressebeskyttelse` other than `ugradert` and
 * any address, so a protected address cannot travel unflagged through the model.
 */
export const PersonSchema = z
  .object({
    /** The current identifier (fnr, or D-nummer until an fnr is issued). */
    fodselsnummer: FodselsnummerTextSchema,
    identifierKind: PersonIdentifierKindSchema,
    /** All identifiers the person has had, current and replaced (a D-nummer replaced by an fnr). */
    identifiers: z.array(PersonIdentifierSchema).min(1),
    givenName: z.string(),
    middleName: z.string().optional(),
    familyName: z.string(),
    birthDate: IsoDateSchema.optional(),
    status: PersonStatusSchema,
    /** Raw status from the register when it was not one we know. */
    statusRaw: z.string().optional(),
    deathDate: IsoDateSchema.optional(),
    /** Date of emigration when `status` is `utflyttet`. */
    emigrationDate: IsoDateSchema.optional(),
    adressebeskyttelse: AdressebeskyttelseSchema,
    residentialAddress: AddressSchema.optional(),
    postalAddress: AddressSchema.optional(),
    kommunenummer: z.string().optional(),
    sources: SourcesSchema,
  })
  .superRefine((person, ctx) => {
    if (person.adressebeskyttelse !== 'ugradert' && (person.residentialAddress || person.postalAddress)) {
      ctx.addIssue({
        code: 'custom',
        path: ['adressebeskyttelse'],
        message: 'a person with protected address must not carry any address',
      });
    }
  });
export type Person = z.infer<typeof PersonSchema>;

/**
 * What a register tells of a person when asked for names only (Folkeregisteret's `part=navn` with
 * the identifiers): enough to find everyone bearing a name, nothing about where they live.
 */
export type PersonNames = Pick<
  Person,
  'fodselsnummer' | 'identifiers' | 'givenName' | 'middleName' | 'familyName'
>;

/** Full display name: given, middle, family. */
export function personName(person: Pick<Person, 'givenName' | 'middleName' | 'familyName'>): string {
  return [person.givenName, person.middleName, person.familyName].filter(Boolean).join(' ');
}
