import { z } from 'zod';
import { AddressSchema } from './address.js';
import { OrganisasjonsnummerTextSchema, SourcesSchema } from './common.js';

/** An organisation from Enhetsregisteret. */
export const OrganisationSchema = z.object({
  organisasjonsnummer: OrganisasjonsnummerTextSchema,
  name: z.string(),
  /** Organisasjonsform code (AS, ENK, KOMM, …). */
  organisasjonsform: z.string().optional(),
  businessAddress: AddressSchema.optional(),
  postalAddress: AddressSchema.optional(),
  deleted: z.boolean().optional(),
  sources: SourcesSchema,
});
export type Organisation = z.infer<typeof OrganisationSchema>;
