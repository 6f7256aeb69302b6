import { z } from 'zod';
import { AddressSchema } from './address.js';
import { IsoDateSchema, SourcesSchema } from './common.js';

/**
 * A party (sakspart / korrespondansepart) in the archive. `identifier` is the fnr/D-nummer or
 * orgnr when the archive holds one; parties without one are matched only where unambiguous.
 */
export const PartySchema = z.object({
  /** The archive's own id of this party (systemID). */
  systemId: z.string().optional(),
  kind: z.enum(['person', 'organisation', 'unknown']),
  identifier: z
    .string()
    .regex(/^(\d{9}|\d{11})$/, 'expected an fnr/D-nummer (11) or orgnr (9)')
    .optional(),
  name: z.string(),
  /** The party's role on the case or record (partRolle / korrespondanseparttype), as the archive codes it. */
  role: z.string().optional(),
  address: AddressSchema.optional(),
  birthDate: IsoDateSchema.optional(),
  /** Set when the party is known to be deceased. */
  deceased: z.boolean().optional(),
  /** The archive's ETag/version of the party, for compare-and-set updates. */
  version: z.string().optional(),
  sources: SourcesSchema.optional(),
});
export type Party = z.infer<typeof PartySchema>;

/**
 * A class (klasse) on a case. `GBNR` classes hold a matrikkelnummer (`kkkk-g/b/f/s` or `g/b`),
 * `FNR` classes a fødselsnummer (screened), `ORGNR` an organisasjonsnummer, `ARKNOKKEL` the
 * municipality's subject code.
 */
export const CaseClassSchema = z.object({
  /** Klassifikasjonssystem: `GBNR`, `FNR`, `ORGNR`, `ARKNOKKEL`, or the archive's own code. */
  system: z.string(),
  classId: z.string(),
  title: z.string().optional(),
  systemId: z.string().optional(),
});
export type CaseClass = z.infer<typeof CaseClassSchema>;

/** Case kinds Registerbro cares about. */
export const CaseTypeSchema = z.enum(['byggesak', 'landbruk', 'sosial', 'konsesjon', 'annen']);
export type CaseType = z.infer<typeof CaseTypeSchema>;

/** A saksmappe. */
export const CaseSchema = z.object({
  systemId: z.string(),
  /** `YYYY/N`, e.g. `2024/123`. */
  saksnummer: z.string().regex(/^\d{4}\/\d+$/, 'expected saksaar/sekvensnummer'),
  title: z.string(),
  /** Saksstatus as the archive codes it (`Under behandling`, `Avsluttet`, `B`, `A`, …). */
  status: z.string(),
  open: z.boolean(),
  caseType: CaseTypeSchema,
  classes: z.array(CaseClassSchema),
  parties: z.array(PartySchema),
  /** Our deterministic key when Registerbro created the case (referanseEksternNoekkel). */
  externalKey: z.object({ fagsystem: z.string(), noekkel: z.string() }).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  version: z.string().optional(),
  sources: SourcesSchema,
});
export type Case = z.infer<typeof CaseSchema>;

/** Journalstatus values after which Noark forbids edits. */
export const FROZEN_JOURNALSTATUS = ['ekspedert', 'journalfoert', 'arkivert', 'E', 'J', 'A'] as const;

/** A journalpost (registrering) with its correspondence parties. */
export const RecordSchema = z.object({
  systemId: z.string(),
  caseSystemId: z.string(),
  /** `YYYY/N` journalpostnummer (journalaar/journalsekvensnummer), when assigned. */
  journalpostnummer: z.string().optional(),
  title: z.string(),
  /** I (inngående), U (utgående), N (notat), X (notat uten oppfølging), … */
  journalposttype: z.string(),
  journalstatus: z.string(),
  /** True when the journalstatus forbids edits (ekspedert/journalført/arkivert). */
  frozen: z.boolean(),
  correspondenceParties: z.array(PartySchema),
  journalDate: z.string().optional(),
  externalKey: z.object({ fagsystem: z.string(), noekkel: z.string() }).optional(),
  version: z.string().optional(),
  sources: SourcesSchema,
});
export type ArchiveRecord = z.infer<typeof RecordSchema>;
