import {
  type Address,
  type Case,
  type CaseClass,
  type Organisation,
  type Owner,
  type Person,
  type Property,
  isProtected,
  personName,
} from '@registerbro/model';
import {
  type FirstSyncPolicy,
  DEFAULT_FIRST_SYNC_POLICY,
  compareField,
  namesEqual,
  normalizeName,
} from '../compare.js';
import {
  type PersonIndex,
  formatLikeOriginal,
  indexPersons,
  resolvePerson,
  resolveUnit,
} from '../identity.js';
import { DEFAULT_MASTERS, type Masters } from '../masters.js';
import { type PartyDraft, caseTarget, classTarget } from '../operations.js';
import { type BaseLookup, type Plan, createBaseLookup } from '../types.js';
import { PlanBuilder, masterAddress, tagOf } from './common.js';

/**
 * F2 — properties in cases (DESIGN.md "The flows"). A saksmappe classified by GBNR must point to a
 * living matrikkelenhet: an utgått unit with one successor (a merge, or a chain) and a renumbered
 * kommune (1854 → 1806) re-key the class; a split, an unknown unit or a unit gone without successor
 * is a conflict. When two classes of one case end on the same unit (a merge), the later one is
 * removed instead of duplicated.
 *
 * The current owners (hjemmelshavere) of the case's units become parties on OPEN building cases
 * (byggesak) when missing — closed cases keep the parties they were decided with. Owners are
 * compared three-way per owner (field `hjemmelshaver:<tag>` of the case): an owner party that we
 * added and someone later removed in the archive is a `local_edit` conflict, not re-added. An owner
 * with protected address is added by name only, never with an address; other people get their
 * address from Folkeregisteret only (F1 maintains it afterwards), organisations from
 * Enhetsregisteret's data when given.
 */

/** Input of {@link planF2}. */
export interface PlanF2Input {
  /** Units by full key `kkkk-g/b/f/s` (living and utgått), as Matrikkelen returned them. */
  properties: ReadonlyMap<string, Property>;
  cases: readonly Case[];
  /** Keys Matrikkelen said it does not know; other absent keys are "not loaded". @default none */
  missing?: ReadonlySet<string>;
  /** People from Folkeregisteret (owners' names, addresses and protection). @default none */
  persons?: ReadonlyMap<string, Person> | Iterable<Person>;
  /** Organisations from Enhetsregisteret by orgnr. @default none */
  organisations?: ReadonlyMap<string, Organisation>;
  bases?: BaseLookup;
  /** @default 'adopt_master_when_certain' */
  policy?: FirstSyncPolicy;
  /** Planning time (ISO 8601); the date kommune renumbering is evaluated at. @default now */
  now?: string;
  /** Kommunenummer for class ids written `g/b`. @default undefined (such ids are `invalid_gbnr`) */
  defaultKommunenummer?: string;
  /** partRolle of added owners. @default 'Hjemmelshaver' */
  ownerRole?: string;
  /** @default DEFAULT_MASTERS */
  masters?: Masters;
}

const SOURCE = 'Matrikkelen';

function isGbnr(klass: CaseClass): boolean {
  return klass.system.trim().toUpperCase() === 'GBNR';
}

/** Plan F2. Pure: reads its input only. */
export function planF2(input: PlanF2Input): Plan {
  const b = new PlanBuilder('F2', input.bases ?? createBaseLookup());
  const index = indexPersons(input.persons ?? []);
  const at = (input.now ?? new Date().toISOString()).slice(0, 10);
  const masters = input.masters ?? DEFAULT_MASTERS;
  const lookup = {
    properties: input.properties,
    at,
    ...(input.missing === undefined ? {} : { missing: input.missing }),
    ...(input.defaultKommunenummer === undefined ? {} : { defaultKommunenummer: input.defaultKommunenummer }),
  };

  for (const c of input.cases) {
    const gbnr = c.classes.filter(isGbnr);
    const resolved = gbnr.map((klass) => ({ klass, r: resolveUnit(klass.classId, lookup) }));
    // Keys the case already holds on living units, so a merge does not leave two classes on one unit.
    const held = new Set<string>();
    for (const { r } of resolved) if (r.status === 'living') held.add(r.key);
    const units = new Map<string, Property>();

    for (const { klass, r } of resolved) {
      b.examined();
      const target = classTarget(c.systemId, klass);
      switch (r.status) {
        case 'living':
          units.set(r.key, r.property);
          b.plan.stats.inSync++;
          break;
        case 'rekey': {
          units.set(r.to, r.property);
          const why = r.steps
            .map((s) =>
              s.kind === 'renumber'
                ? `kommunenummer endret (${s.from} → ${s.to})`
                : `${s.from} utgått, erstattet av ${s.to}`,
            )
            .join('; ');
          if (held.has(r.to)) {
            b.op({
              type: 'class.remove',
              system: 'noark',
              target,
              flow: 'F2',
              rule: 'F2.merge',
              reason: `${SOURCE}: ${why}; saken har allerede klassen ${r.to}`,
              caseSystemId: c.systemId,
              ...(klass.systemId === undefined ? {} : { classSystemId: klass.systemId }),
              classId: klass.classId,
              keptKey: r.to,
            });
          } else {
            held.add(r.to);
            b.op({
              type: 'class.rekey',
              system: 'noark',
              target,
              flow: 'F2',
              rule: r.steps.some((s) => s.kind === 'renumber') ? 'F2.renumber' : 'F2.successor',
              reason: `${SOURCE}: ${why}`,
              caseSystemId: c.systemId,
              ...(klass.systemId === undefined ? {} : { classSystemId: klass.systemId }),
              from: klass.classId,
              to: formatLikeOriginal(klass.classId, r.to, input.defaultKommunenummer),
              fromKey: r.from,
              toKey: r.to,
            });
          }
          break;
        }
        case 'split':
          b.conflict({
            kind: 'split',
            target,
            rule: 'F2.split',
            reason: `${SOURCE}: ${r.at} er delt i ${r.candidates.length} enheter; velg hvilken saken gjelder`,
            master: { successors: r.candidates },
            local: klass.classId,
            base: null,
            entityType: 'class',
          });
          break;
        case 'gone':
          b.conflict({
            kind: 'unit_gone',
            target,
            rule: 'F2.gone',
            reason: `${SOURCE}: ${r.at} er utgått uten etterfølger; klassen må rettes manuelt`,
            master: { status: 'utgaatt', key: r.at },
            local: klass.classId,
            base: null,
            entityType: 'class',
          });
          break;
        case 'unknown':
          b.conflict({
            kind: 'unknown_unit',
            target,
            rule: 'F2.unknown',
            reason: `${SOURCE} kjenner ikke ${r.key}; rett gårds-/bruksnummeret i saken`,
            master: null,
            local: klass.classId,
            base: null,
            entityType: 'class',
          });
          break;
        case 'ambiguous_kommune':
          b.conflict({
            kind: 'ambiguous_kommune',
            target,
            rule: 'F2.renumber',
            reason: `Kommunen i ${r.from} er delt mellom ${r.kommuner.join(', ')}; velg riktig enhet`,
            master: { kommuner: r.kommuner },
            local: klass.classId,
            base: null,
            entityType: 'class',
          });
          break;
        case 'invalid':
          b.conflict({
            kind: 'invalid_gbnr',
            target,
            rule: 'F2.invalid',
            reason: `GBNR-klassen "${klass.classId}" er ikke et matrikkelnummer (${r.message})`,
            master: null,
            local: klass.classId,
            base: null,
            entityType: 'class',
          });
          break;
        case 'not_loaded':
          b.skip('not_loaded');
          break;
      }
    }

    if (c.caseType === 'byggesak' && c.open && masters['property.owners'] === 'matrikkel') {
      planOwners(b, c, units, index, input);
    }
  }
  return b.plan;
}

interface OwnerCandidate {
  /** Stable identity of the owner: current fnr, orgnr or normalised name. */
  key: string;
  owner: Owner;
  unit: string;
  person?: Person;
}

function planOwners(
  b: PlanBuilder,
  c: Case,
  units: ReadonlyMap<string, Property>,
  index: PersonIndex,
  input: PlanF2Input,
): void {
  const owners = new Map<string, OwnerCandidate>();
  for (const [unit, property] of [...units].sort(([x], [y]) => (x < y ? -1 : 1))) {
    for (const owner of property.owners) {
      const candidate = ownerCandidate(owner, unit, index);
      if (candidate && !owners.has(candidate.key)) owners.set(candidate.key, candidate);
    }
  }
  const target = caseTarget(c.systemId);
  const role = input.ownerRole ?? 'Hjemmelshaver';
  for (const candidate of owners.values()) {
    b.examined();
    const field = `hjemmelshaver:${tagOf(candidate.key)}`;
    const present = c.parties.some((p) => partyIsOwner(p, candidate, index));
    const base = b.base(target, field);
    const r = compareField<boolean>({
      master: true,
      target: present ? true : null,
      base: base === undefined ? undefined : { value: base.value === true ? true : null },
      equals: (x, y) => x === y,
      firstSync: input.policy ?? DEFAULT_FIRST_SYNC_POLICY,
      certain: true,
    });
    const protectedOwner = candidate.person !== undefined && isProtected(candidate.person.adressebeskyttelse);
    if (r.outcome === 'in_sync') {
      b.inSync(target, field, true, r.recordBase);
      continue;
    }
    if (r.outcome === 'conflict') {
      b.conflict({
        kind: r.kind,
        target,
        field,
        rule: 'F2.owner',
        reason:
          r.kind === 'local_edit'
            ? `Hjemmelshaver på ${candidate.unit} ble lagt til som part og senere fjernet i arkivet; legg til igjen eller behold`
            : `Hjemmelshaver på ${candidate.unit} er ikke part i saken (første synkronisering)`,
        master: { owner: ownerDisplay(candidate), unit: candidate.unit },
        local: null,
        base: base === undefined ? null : base.value,
        entityType: 'case',
        ...(candidate.person ? { rawKeys: [candidate.person.fodselsnummer] } : {}),
        ...(protectedOwner ? { protected: true } : {}),
      });
      continue;
    }
    const draft = partyDraft(candidate, role, input.organisations);
    if (draft === undefined) {
      b.skip('owner_without_name');
      continue;
    }
    b.op({
      type: 'party.add',
      system: 'noark',
      target,
      flow: 'F2',
      rule: 'F2.owner',
      reason: `${SOURCE}: hjemmelshaver på ${candidate.unit} er ikke part i byggesaken${r.adopted ? ' (første synkronisering)' : ''}`,
      caseSystemId: c.systemId,
      party: draft,
      baseField: field,
      ...(r.adopted ? { adopted: true } : {}),
    });
  }
}

function ownerCandidate(owner: Owner, unit: string, index: PersonIndex): OwnerCandidate | undefined {
  if (owner.kind === 'person') {
    const r = resolvePerson(owner.identifier, index);
    if (r.status === 'current' || r.status === 'rekey') {
      return { key: `person:${r.person.fodselsnummer}`, owner, unit, person: r.person };
    }
    return { key: `person:${owner.identifier}`, owner, unit };
  }
  if (owner.kind === 'organisation') return { key: `org:${owner.identifier}`, owner, unit };
  const name = normalizeName(owner.name ?? '');
  return name ? { key: `name:${name}`, owner, unit } : undefined;
}

function partyIsOwner(
  party: Case['parties'][number],
  candidate: OwnerCandidate,
  index: PersonIndex,
): boolean {
  const { owner } = candidate;
  if (party.identifier !== undefined) {
    if (owner.kind === 'person') {
      if (party.identifier === owner.identifier) return true;
      const r = resolvePerson(party.identifier, index);
      return (
        (r.status === 'current' || r.status === 'rekey') &&
        candidate.person !== undefined &&
        r.person.fodselsnummer === candidate.person.fodselsnummer
      );
    }
    return owner.kind === 'organisation' && party.identifier === owner.identifier;
  }
  // A party typed in without identifier but with the owner's name counts as present: adding the
  // owner again would make a duplicate the archive's users must clean up.
  const name = ownerName(candidate);
  return name !== undefined && namesEqual(party.name, name);
}

function ownerName(candidate: OwnerCandidate): string | undefined {
  if (candidate.person) return personName(candidate.person);
  const name = candidate.owner.name?.trim();
  return name ? name : undefined;
}

function ownerDisplay(candidate: OwnerCandidate): string {
  if (candidate.owner.kind === 'organisation')
    return `${candidate.owner.name ?? ''} (${candidate.owner.identifier})`.trim();
  return ownerName(candidate) ?? '(uten navn)';
}

function partyDraft(
  candidate: OwnerCandidate,
  role: string,
  organisations: ReadonlyMap<string, Organisation> | undefined,
): PartyDraft | undefined {
  const name = ownerName(candidate);
  const { owner, person } = candidate;
  if (owner.kind === 'organisation') {
    const org = organisations?.get(owner.identifier);
    const orgName = org?.name ?? name;
    if (!orgName) return undefined;
    const address: Address | undefined = org?.postalAddress ?? org?.businessAddress;
    return {
      kind: 'organisation',
      identifier: owner.identifier,
      name: orgName,
      role,
      ...(address ? { address } : {}),
    };
  }
  if (name === undefined) return undefined;
  if (owner.kind === 'unknown') return { kind: 'unknown', name, role };
  // Only Folkeregisteret's data gives a person's address, and never for a protected person.
  const address = person && !isProtected(person.adressebeskyttelse) ? masterAddress(person) : undefined;
  return {
    kind: 'person',
    identifier: person?.fodselsnummer ?? owner.identifier,
    name,
    role,
    ...(address ? { address } : {}),
    ...(person?.status === 'doed' ? { deceased: true } : {}),
  };
}
