import { AddressSchema, CaseClassSchema, IsoDateSchema } from '@registerbro/model';
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';

/**
 * The archive operations the planner produces. Every operation names its target record, the flow
 * and rule that planned it, a human reason (never an unmasked fnr, never a protected address) and a
 * deterministic idempotency key derived from its content, so a plan recomputed after a crash yields
 * the same keys and the outbox enqueues each write once.
 *
 * Updates carry the values they expect to find (`expected`) and the archive version when known, so
 * the adapter can apply them as compare-and-set (DESIGN.md "Idempotency against systems that do not
 * know our keys"); creates carry the key as their external key.
 */

/** The flows that plan operations (DESIGN.md "The flows"). */
export const FlowIdSchema = z.enum(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7']);
/** A flow id. */
export type FlowId = z.infer<typeof FlowIdSchema>;

/** Where an archive party lives: on a saksmappe (sakspart) or a journalpost (korrespondansepart). */
export const PartyLocationSchema = z.object({
  container: z.enum(['saksmappe', 'journalpost']),
  /** systemID of the saksmappe or journalpost. */
  containerId: z.string().min(1),
  /** systemID of the party when the archive gave one. */
  partySystemId: z.string().optional(),
  /** Position among the container's parties (used only when there is no systemID). */
  index: z.number().int().nonnegative(),
});
/** Where an archive party lives. */
export type PartyLocation = z.infer<typeof PartyLocationSchema>;

/** The target key of a party: `saksmappe/{id}/part/{systemId}` (or `#index` without a systemID). */
export function partyTarget(location: PartyLocation): string {
  const kind = location.container === 'saksmappe' ? 'part' : 'korrespondansepart';
  return `${location.container}/${location.containerId}/${kind}/${location.partySystemId ?? `#${location.index}`}`;
}

/** The target key of a saksmappe: `saksmappe/{id}`. */
export function caseTarget(caseSystemId: string): string {
  return `saksmappe/${caseSystemId}`;
}

/** The target key of a class on a saksmappe: `saksmappe/{id}/klasse/{systemId or system:classId}`. */
export function classTarget(
  caseSystemId: string,
  klass: { systemId?: string; system: string; classId: string },
) {
  return `saksmappe/${caseSystemId}/klasse/${klass.systemId ?? `${klass.system}:${klass.classId}`}`;
}

const Common = {
  /** The system the operation is applied to. */
  system: z.literal('noark'),
  /** The target record's key (see {@link partyTarget}, {@link classTarget}, {@link caseTarget}). */
  target: z.string().min(1),
  flow: FlowIdSchema,
  /** The rule that planned it, e.g. `F1.address`. */
  rule: z.string().min(1),
  /** Human reason, e.g. `Folkeregisteret: flyttet 2026-10-01`. Never an unmasked fnr. */
  reason: z.string(),
  /** sha256 hex over (flow, type, target, wanted values); see {@link idempotencyKeyOf}. */
  idempotencyKey: z.string().regex(/^[0-9a-f]{64}$/),
  /** True when a first-sync adoption planned it (no base yet): the audit says so. */
  adopted: z.boolean().optional(),
};

const FodselsnummerDigits = z.string().regex(/^\d{11}$/);

/** Fields F1/F6 set on a party. `address: null` is never used: removal is `party.remove_address`. */
export const PartyFieldsSchema = z.object({
  name: z.string().optional(),
  address: AddressSchema.optional(),
  deceased: z.boolean().optional(),
});
/** Fields set on a party. */
export type PartyFields = z.infer<typeof PartyFieldsSchema>;

/** Set name / address / deceased on an existing party, compare-and-set on `expected`. */
export const PartyUpdateSchema = z.object({
  type: z.literal('party.update'),
  ...Common,
  location: PartyLocationSchema,
  /** The wanted values; after a successful apply they become the base values. */
  set: PartyFieldsSchema,
  /** The values the target held when planned (`null`: no value). The adapter writes only over these. */
  expected: z.object({
    name: z.string().nullable().optional(),
    address: AddressSchema.nullable().optional(),
    deceased: z.boolean().nullable().optional(),
  }),
  /** The party's archive version (ETag) when planned. */
  expectedVersion: z.string().optional(),
});

/**
 * Remove the address copied onto a party of a person with protected address. Carries no address
 * at all (not even the expected one): removing an absent address is "already applied". After a
 * successful apply the base of the party's `address` field becomes `null`.
 */
export const PartyRemoveAddressSchema = z.object({
  type: z.literal('party.remove_address'),
  ...Common,
  location: PartyLocationSchema,
  expectedVersion: z.string().optional(),
});

/** Replace the party's identifier (a D-nummer replaced by an fnr). */
export const PartyRekeyIdentifierSchema = z.object({
  type: z.literal('party.rekey_identifier'),
  ...Common,
  location: PartyLocationSchema,
  from: FodselsnummerDigits,
  to: FodselsnummerDigits,
  toKind: z.enum(['fnr', 'dnr', 'hnr']),
  expectedVersion: z.string().optional(),
});

/** A party to create. */
export const PartyDraftSchema = z.object({
  kind: z.enum(['person', 'organisation', 'unknown']),
  identifier: z
    .string()
    .regex(/^(\d{9}|\d{11})$/)
    .optional(),
  name: z.string().min(1),
  /** partRolle, e.g. `Hjemmelshaver`. */
  role: z.string().min(1),
  /** Never set for a person with protected address. */
  address: AddressSchema.optional(),
  deceased: z.boolean().optional(),
});
/** A party to create. */
export type PartyDraft = z.infer<typeof PartyDraftSchema>;

/** Add a party to a saksmappe (an owner as `Hjemmelshaver` on a byggesak). */
export const PartyAddSchema = z.object({
  type: z.literal('party.add'),
  ...Common,
  caseSystemId: z.string().min(1),
  party: PartyDraftSchema,
  /** The case's base field (`hjemmelshaver:<tag>`) to record as `true` after a successful apply. */
  baseField: z.string().optional(),
});

/** Point a GBNR class at another matrikkelenhet (successor, renumbered kommune). */
export const ClassRekeySchema = z.object({
  type: z.literal('class.rekey'),
  ...Common,
  caseSystemId: z.string().min(1),
  classSystemId: z.string().optional(),
  /** The class id as the archive holds it (compare-and-set). */
  from: z.string().min(1),
  /** The class id to write, in the archive's own style. */
  to: z.string().min(1),
  /** Full `kkkk-g/b/f/s` keys of both units. */
  fromKey: z.string(),
  toKey: z.string(),
});

/** Remove a GBNR class that duplicates another one after a merge (the case keeps `keptKey`). */
export const ClassRemoveSchema = z.object({
  type: z.literal('class.remove'),
  ...Common,
  caseSystemId: z.string().min(1),
  classSystemId: z.string().optional(),
  classId: z.string().min(1),
  keptKey: z.string(),
});

/** Create one follow-up case (konsesjon/boplikt) after an owner change on an agricultural property. */
export const CaseCreateFollowupSchema = z.object({
  type: z.literal('case.create_followup'),
  ...Common,
  followupType: z.enum(['konsesjon', 'boplikt']),
  title: z.string().min(1),
  classes: z.array(CaseClassSchema),
  parties: z.array(PartyDraftSchema),
  trigger: z.object({
    kind: z.enum(['owner_change', 'owner_death']),
    matrikkelnummer: z.string(),
    holdingId: z.string().optional(),
    at: IsoDateSchema.optional(),
  }),
});

/** Every archive operation the planner produces. */
export const ArchiveOperationSchema = z.discriminatedUnion('type', [
  PartyUpdateSchema,
  PartyRemoveAddressSchema,
  PartyRekeyIdentifierSchema,
  PartyAddSchema,
  ClassRekeySchema,
  ClassRemoveSchema,
  CaseCreateFollowupSchema,
]);
/** An archive operation. */
export type ArchiveOperation = z.infer<typeof ArchiveOperationSchema>;
/** The operation type names. */
export type ArchiveOperationType = ArchiveOperation['type'];
/** An operation of one type. */
export type ArchiveOperationOf<T extends ArchiveOperationType> = Extract<ArchiveOperation, { type: T }>;
/** An operation before its idempotency key is computed. */
export type OperationDraft = ArchiveOperation extends infer O
  ? O extends ArchiveOperation
    ? Omit<O, 'idempotencyKey'>
    : never
  : never;

/**
 * The wanted values of an operation: what the target must hold after it. The key hashes these and
 * not the expected values, so the same wish planned against a target read twice gets one key.
 */
export function wantedOf(op: OperationDraft | ArchiveOperation): unknown {
  switch (op.type) {
    case 'party.update':
      return op.set;
    case 'party.remove_address':
      return { address: null };
    case 'party.rekey_identifier':
      return { from: op.from, to: op.to };
    case 'party.add':
      return { caseSystemId: op.caseSystemId, party: op.party };
    case 'class.rekey':
      return { from: op.fromKey, to: op.toKey };
    case 'class.remove':
      return { removed: op.classId, kept: op.keptKey };
    case 'case.create_followup':
      return { followupType: op.followupType, trigger: op.trigger };
  }
}

/** sha256 hex over the canonical JSON of (flow, type, target, wanted values). Deterministic. */
export function idempotencyKeyOf(op: OperationDraft | ArchiveOperation): string {
  return sha256Hex(canonicalJson({ flow: op.flow, type: op.type, target: op.target, wanted: wantedOf(op) }));
}

/** Complete a draft with its idempotency key. */
export function finalizeOperation<D extends OperationDraft>(draft: D): D & { idempotencyKey: string } {
  return { ...draft, idempotencyKey: idempotencyKeyOf(draft) };
}

/** The fields of the target record an operation writes (used to stop two flows planning one field). */
export function fieldsOf(op: ArchiveOperation): string[] {
  switch (op.type) {
    case 'party.update':
      return Object.keys(op.set)
        .filter((k) => op.set[k as keyof PartyFields] !== undefined)
        .sort();
    case 'party.remove_address':
      return ['address'];
    case 'party.rekey_identifier':
      return ['identifier'];
    case 'party.add':
      return [
        `party:${sha256Hex(canonicalJson([op.party.identifier ?? '', op.party.name, op.party.role])).slice(0, 16)}`,
      ];
    case 'class.rekey':
    case 'class.remove':
      return ['classId'];
    case 'case.create_followup':
      return ['case'];
  }
}
