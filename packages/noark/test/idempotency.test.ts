import { isFodselsnummer, makeFodselsnummer } from '@registerbro/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoarkAdapter, type NoarkAdapter, type NoarkAdapterOptions } from '../src/adapter.js';
import { NOARK_OPERATION_TYPES, type NoarkOperation } from '../src/operations.js';
import {
  type NoarkSimulator,
  type NoarkWriteLogEntry,
  createNoarkSimulator,
} from '../src/simulator/index.js';

/**
 * Every operation type the adapter lists, applied three times with one idempotency key (twice by
 * one adapter, once by a fresh one): applied, already_applied, already_applied, and the archive
 * changed exactly once. Idempotency must come from the archive's state, not from memory.
 */

let sim: NoarkSimulator;
let options: NoarkAdapterOptions;
let adapter: NoarkAdapter;

beforeAll(async () => {
  sim = await createNoarkSimulator({ seed: 'idempotency', people: 150 });
  options = { baseURL: sim.tgBaseURL, http: { shared: false, retries: 1, backoff: { baseMs: 1, maxMs: 5 } } };
  adapter = createNoarkAdapter(options);
});

afterAll(async () => {
  await adapter?.close?.();
  await sim?.close();
});

const openCases = () => [...sim.world.cases.values()].filter((c) => c.open && c.caseType !== 'sosial');
const taken = new Set<string>();
const fresh = <T extends { systemId: string }>(items: T[]): T => {
  const item = items.find((x) => !taken.has(x.systemId));
  if (!item) throw new Error('nothing left to use');
  taken.add(item.systemId);
  return item;
};

type Sample = { operation: NoarkOperation; counts: (w: NoarkWriteLogEntry) => boolean };

const samples: Record<(typeof NOARK_OPERATION_TYPES)[number], () => Sample> = {
  update_party() {
    const kase = openCases().find((c) => c.parties.some((p) => !taken.has(p.systemId)))!;
    const party = fresh(kase.parties);
    return {
      operation: {
        type: 'update_party',
        target: kase.saksnummer,
        partySystemId: party.systemId,
        set: { name: `${party.name} Idempotent`, deceased: true },
        expected: { name: party.name, deceased: null },
      },
      counts: (w) => w.kind === 'update_party' && w.targetSystemId === party.systemId,
    };
  },
  remove_party_address() {
    const kase = openCases().find((c) => c.parties.some((p) => p.address && !taken.has(p.systemId)))!;
    const party = fresh(kase.parties.filter((p) => p.address));
    return {
      operation: { type: 'remove_party_address', target: kase.saksnummer, partySystemId: party.systemId },
      counts: (w) => w.kind === 'update_party' && w.targetSystemId === party.systemId,
    };
  },
  rekey_party_identifier() {
    const withFnr = (p: { identifier?: string; kind: string; systemId: string }) =>
      p.kind === 'person' && !!p.identifier && isFodselsnummer(p.identifier) && !taken.has(p.systemId);
    const kase = openCases().find((c) => c.parties.some(withFnr))!;
    const party = fresh(kase.parties.filter(withFnr));
    let to: string | null = null;
    for (let i = 200; !to; i++)
      to = makeFodselsnummer({ birthDate: '1981-02-03', individnummer: i, synthetic: true });
    return {
      operation: {
        type: 'rekey_party_identifier',
        target: kase.saksnummer,
        partySystemId: party.systemId,
        from: party.identifier as string,
        to,
        toKind: 'fnr',
      },
      counts: (w) => w.kind === 'update_party' && w.targetSystemId === party.systemId,
    };
  },
  add_party() {
    const kase = fresh(openCases());
    return {
      operation: {
        type: 'add_party',
        target: kase.saksnummer,
        party: {
          kind: 'organisation',
          identifier: '923609016',
          name: 'Idempotent AS',
          role: 'Ansvarlig søker',
        },
      },
      counts: (w) => w.kind === 'add_party' && w.caseSystemId === kase.systemId,
    };
  },
  rekey_class() {
    const kase = fresh(openCases().filter((c) => c.classes.some((k) => k.system === 'GBNR')));
    const cls = kase.classes.find((k) => k.system === 'GBNR')!;
    return {
      operation: {
        type: 'rekey_class',
        target: kase.saksnummer,
        system: 'GBNR',
        from: cls.classId,
        to: cls.classId.replace(/^\d{4}/, '1854'),
      },
      counts: (w) => w.kind === 'update_class' && w.targetSystemId === cls.systemId,
    };
  },
  remove_class() {
    const kase = fresh(openCases().filter((c) => c.classes.some((k) => k.system === 'GBNR')));
    const kept = kase.classes.find((k) => k.system === 'GBNR')!;
    const duplicate = { system: 'GBNR' as const, classId: '1854-77/7/0/0', systemId: crypto.randomUUID() };
    kase.classes.push(duplicate);
    return {
      operation: {
        type: 'remove_class',
        target: kase.saksnummer,
        system: 'GBNR',
        classId: duplicate.classId,
        classSystemId: duplicate.systemId,
        keep: kept.classId,
      },
      counts: (w) => w.kind === 'remove_class' && w.targetSystemId === duplicate.systemId,
    };
  },
  create_case() {
    return {
      operation: {
        type: 'create_case',
        target: 'f4-idempotency-1',
        case: {
          title: 'Boplikt — 7/7',
          caseType: 'konsesjon',
          classes: [{ system: 'GBNR', classId: '1806-7/7/0/0' }],
          parties: [],
        },
        note: { title: 'Eierskifte registrert' },
      },
      counts: (w) => w.kind === 'create_case' && w.externalKey === 'f4-idempotency-1',
    };
  },
  update_correspondence_party() {
    const kase = [...sim.world.cases.values()].find((c) =>
      c.records.some((r) => !['J', 'E', 'A'].includes(r.journalstatus) && r.correspondenceParties.length),
    )!;
    const record = kase.records.find(
      (r) => !['J', 'E', 'A'].includes(r.journalstatus) && r.correspondenceParties.length,
    )!;
    const party = fresh(record.correspondenceParties);
    return {
      operation: {
        type: 'update_correspondence_party',
        target: kase.saksnummer,
        recordSystemId: record.systemId,
        partySystemId: party.systemId,
        set: { name: `${party.name} Idempotent`, address: null },
        expected: { name: party.name },
      },
      counts: (w) => w.kind === 'update_record' && w.targetSystemId === party.systemId,
    };
  },
};

describe('every operation type is idempotent against the archive state', () => {
  it('covers every type in NOARK_OPERATION_TYPES and capabilities.apply', () => {
    expect(Object.keys(samples).sort()).toEqual([...NOARK_OPERATION_TYPES].sort());
    expect([...adapter.capabilities.apply].sort()).toEqual([...NOARK_OPERATION_TYPES].sort());
  });

  it.each([...NOARK_OPERATION_TYPES])(
    '%s: applied once, then already_applied (also by a fresh adapter)',
    async (type) => {
      const { operation, counts } = samples[type]();
      const since = sim.writeLog.length;
      const key = `idem-${type}`;
      const results = [
        await adapter.apply(operation, { idempotencyKey: key }),
        await adapter.apply(operation, { idempotencyKey: key }),
      ];
      const restarted = createNoarkAdapter(options);
      try {
        results.push(await restarted.apply(operation, { idempotencyKey: key }));
      } finally {
        await restarted.close?.();
      }
      expect(results.map((r) => r.status)).toEqual(['applied', 'already_applied', 'already_applied']);
      expect(sim.writeLog.slice(since).filter(counts)).toHaveLength(1);
    },
  );
});
