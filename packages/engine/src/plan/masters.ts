import { ConfigError } from '@registerbro/model';
import { z } from 'zod';

/**
 * Masters per field: which system is the system of record for each kind of fact. DESIGN.md
 * ("Masters per field") declares them as data, overridable per municipality. The flows ask this
 * table before they manage a field: a field whose master is not the flow's source is left alone.
 */

/** The systems that can be a master. */
export const MasterSystemSchema = z.enum(['folkeregister', 'matrikkel', 'landbruk', 'noark', 'kart']);
/** A system that can be the master of a field. */
export type MasterSystem = z.infer<typeof MasterSystemSchema>;

/** The fields the table covers. */
export const MasterFieldSchema = z.enum([
  'person.identity',
  'person.name',
  'person.address',
  'person.status',
  'property.unit',
  'property.owners',
  'property.addresses',
  'property.buildings',
  'holding.produsentnummer',
  'holding.driftssenter',
  'holding.areas',
  'case.case',
  'case.records',
  'party.caseRoles',
  'geometry.representationPoint',
  'geometry.boundary',
]);
/** A field (fact kind) with one master. */
export type MasterField = z.infer<typeof MasterFieldSchema>;

/** One row of the masters table. */
export interface MasterRule {
  field: MasterField;
  master: MasterSystem;
  /** The systems a municipality may choose instead (the default included). */
  allowed: readonly MasterSystem[];
  /** What the field is, in words. */
  description: string;
}

const ALL: readonly MasterSystem[] = MasterSystemSchema.options;

/**
 * The default table (DESIGN.md). `person.address` may only ever be Folkeregisteret: a protected
 * address is handled correctly only where the protection flag lives, so no override can move it.
 */
export const DEFAULT_MASTER_RULES: readonly MasterRule[] = Object.freeze([
  rule('person.identity', 'folkeregister', ['folkeregister'], 'fødselsnummer / D-nummer and their history'),
  rule('person.name', 'folkeregister', ['folkeregister', 'noark'], 'a person’s name'),
  rule('person.address', 'folkeregister', ['folkeregister'], 'postal/residential address, protection'),
  rule('person.status', 'folkeregister', ['folkeregister', 'noark'], 'bosatt, utflyttet, død …'),
  rule('property.unit', 'matrikkel', ['matrikkel'], 'the matrikkelenhet and its key'),
  rule('property.owners', 'matrikkel', ['matrikkel', 'noark'], 'hjemmelshavere with shares'),
  rule('property.addresses', 'matrikkel', ['matrikkel', 'noark'], 'official addresses (vegadresse)'),
  rule('property.buildings', 'matrikkel', ['matrikkel', 'noark'], 'buildings on the unit'),
  rule('holding.produsentnummer', 'landbruk', ['landbruk'], 'produsentnummer of a driftsenhet'),
  rule('holding.driftssenter', 'landbruk', ['landbruk'], 'driftssenter of a holding'),
  rule('holding.areas', 'landbruk', ['landbruk'], 'agricultural areas'),
  rule('case.case', 'noark', ['noark'], 'saksmapper: title, status, classes'),
  rule('case.records', 'noark', ['noark'], 'journalposter'),
  rule('party.caseRoles', 'noark', ['noark'], 'a party’s role on a case'),
  rule('geometry.representationPoint', 'matrikkel', ['matrikkel', 'kart'], 'a unit’s position'),
  rule('geometry.boundary', 'kart', ['kart', 'matrikkel'], 'teig polygons and map features'),
]);

function rule(
  field: MasterField,
  master: MasterSystem,
  allowed: readonly MasterSystem[],
  description: string,
): MasterRule {
  return Object.freeze({ field, master, allowed: Object.freeze([...allowed]), description });
}

/**
 * Per-municipality overrides from config: `{ "person.name": "noark" }` makes the archive the master
 * of names, so F1 stops writing names. Unknown fields or systems are rejected (strict).
 */
export const MasterOverridesSchema = z.partialRecord(MasterFieldSchema, MasterSystemSchema);
/** Overrides of the default masters, as read from config. */
export type MasterOverrides = z.infer<typeof MasterOverridesSchema>;

/** The resolved table: the master of every field. */
export type Masters = Readonly<Record<MasterField, MasterSystem>>;

/** The default masters with no override. */
export const DEFAULT_MASTERS: Masters = Object.freeze(
  Object.fromEntries(DEFAULT_MASTER_RULES.map((r) => [r.field, r.master])) as Record<
    MasterField,
    MasterSystem
  >,
);

/**
 * The masters table with `overrides` applied.
 * @param overrides from config (validated here; `unknown` is accepted so raw config can be passed)
 * @throws ConfigError (`config_invalid`) naming the key when an override is malformed or names a
 *   system that may not be master of that field (e.g. `person.address` must stay Folkeregisteret).
 */
export function resolveMasters(overrides: unknown = {}): Masters {
  const parsed = MasterOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.map(String).join('.') || 'masters';
    throw new ConfigError(`Invalid masters override at "${key}": ${issue?.message ?? 'invalid'}`, {
      key: `masters.${key}`,
      hint: `Use one of the fields ${MasterFieldSchema.options.join(', ')} with a system of ${ALL.join(', ')}.`,
    });
  }
  const result: Record<string, MasterSystem> = { ...DEFAULT_MASTERS };
  for (const [field, system] of Object.entries(parsed.data) as [MasterField, MasterSystem][]) {
    const row = DEFAULT_MASTER_RULES.find((r) => r.field === field);
    if (row && !row.allowed.includes(system)) {
      throw new ConfigError(`"${system}" cannot be the master of ${field}`, {
        key: `masters.${field}`,
        hint: `Allowed for ${field}: ${row.allowed.join(', ')}.`,
      });
    }
    result[field] = system;
  }
  return Object.freeze(result) as Masters;
}
