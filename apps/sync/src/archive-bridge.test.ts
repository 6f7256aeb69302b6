import {
  type ArchiveOperation,
  type OperationDraft,
  finalizeOperation,
  partyTarget,
} from '@registerbro/engine';
import { createHttpFiksArkivTransport, createNoarkAdapter } from '@registerbro/noark';
import { type NoarkSimulator, createNoarkSimulator } from '@registerbro/noark/simulator';
import { type WorldCase, type WorldParty, generateMunicipality } from '@registerbro/testkit';
import { basicAuth } from '@registerbro/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveBridge, toNoarkOperation } from './archive-bridge.js';

const op = (draft: OperationDraft): ArchiveOperation => finalizeOperation(draft) as ArchiveOperation;

const common = { system: 'noark' as const, flow: 'F1' as const, rule: 'F1.test', reason: 'test' };

function partyUpdate(
  kase: WorldCase,
  party: WorldParty,
  set: { name?: string },
  expectedName: string | null,
) {
  const location = {
    container: 'saksmappe' as const,
    containerId: kase.systemId,
    partySystemId: party.systemId,
    index: kase.parties.indexOf(party),
  };
  return op({
    ...common,
    type: 'party.update',
    target: partyTarget(location),
    location,
    set,
    expected: { name: expectedName },
  });
}

describe('toNoarkOperation', () => {
  const location = {
    container: 'saksmappe' as const,
    containerId: 'case-1',
    partySystemId: 'part-1',
    index: 0,
  };
  const onRecord = {
    container: 'journalpost' as const,
    containerId: 'jp-1',
    partySystemId: 'kp-1',
    index: 0,
  };

  it('maps every supported engine operation to the Noark operation that does it', () => {
    const update = op({
      ...common,
      type: 'party.update',
      target: partyTarget(location),
      location,
      set: { name: 'Ny' },
      expected: { name: 'Gammel' },
    });
    expect(toNoarkOperation(update)).toEqual({
      type: 'update_party',
      target: 'case-1',
      partySystemId: 'part-1',
      set: { name: 'Ny' },
    });
    const kp = op({
      ...common,
      type: 'party.update',
      target: partyTarget(onRecord),
      location: onRecord,
      set: { name: 'Ny' },
      expected: { name: 'Gammel' },
    });
    expect(toNoarkOperation(kp)).toMatchObject({
      type: 'update_correspondence_party',
      recordSystemId: 'jp-1',
      partySystemId: 'kp-1',
      set: { name: 'Ny' },
    });
    const remove = op({ ...common, type: 'party.remove_address', target: partyTarget(location), location });
    expect(toNoarkOperation(remove)).toEqual({
      type: 'remove_party_address',
      target: 'case-1',
      partySystemId: 'part-1',
    });
    const removeKp = op({
      ...common,
      type: 'party.remove_address',
      target: partyTarget(onRecord),
      location: onRecord,
    });
    expect(toNoarkOperation(removeKp)).toMatchObject({
      type: 'update_correspondence_party',
      set: { address: null },
    });
    const add = op({
      ...common,
      flow: 'F2',
      type: 'party.add',
      target: 'saksmappe/case-1',
      caseSystemId: 'case-1',
      party: { kind: 'organisation', identifier: '999999999', name: 'Eier AS', role: 'Hjemmelshaver' },
    });
    expect(toNoarkOperation(add)).toEqual({
      type: 'add_party',
      target: 'case-1',
      party: { kind: 'organisation', identifier: '999999999', name: 'Eier AS', role: 'Hjemmelshaver' },
    });
    const rekey = op({
      ...common,
      flow: 'F2',
      type: 'class.rekey',
      target: 'saksmappe/case-1/klasse/k1',
      caseSystemId: 'case-1',
      from: '1854-1/2/0/0',
      to: '1806-101/2/0/0',
      fromKey: '1854-1/2/0/0',
      toKey: '1806-101/2/0/0',
    });
    expect(toNoarkOperation(rekey)).toEqual({
      type: 'rekey_class',
      target: 'case-1',
      system: 'GBNR',
      from: '1854-1/2/0/0',
      to: '1806-101/2/0/0',
      title: '1806-101/2/0/0',
    });
    const followup = op({
      ...common,
      flow: 'F4',
      type: 'case.create_followup',
      target: 'followup/1806-1/2/0/0',
      followupType: 'konsesjon',
      title: 'Konsesjon 1806-1/2',
      classes: [{ system: 'GBNR', classId: '1806-1/2/0/0' }],
      parties: [{ kind: 'organisation', identifier: '999999999', name: 'Eier AS', role: 'Kjøper' }],
      trigger: { kind: 'owner_change', matrikkelnummer: '1806-1/2/0/0' },
    });
    const mapped = toNoarkOperation(followup);
    expect(mapped).toMatchObject({
      type: 'create_case',
      target: followup.idempotencyKey,
      case: { caseType: 'konsesjon' },
    });
  });

  it('maps an identifier re-key and a duplicate class removal to their Noark operations', () => {
    const rekeyId = op({
      ...common,
      type: 'party.rekey_identifier',
      target: partyTarget(location),
      location,
      from: '41818012345',
      to: '01818012345',
      toKind: 'fnr',
    });
    const removeClass = op({
      ...common,
      flow: 'F2',
      type: 'class.remove',
      target: 'saksmappe/case-1/klasse/k2',
      caseSystemId: 'case-1',
      classId: '1806-1/3/0/0',
      keptKey: '1806-1/9/0/0',
    });
    expect(toNoarkOperation(rekeyId)).toMatchObject({
      type: 'rekey_party_identifier',
      target: location.containerId,
      partySystemId: location.partySystemId,
      from: '41818012345',
      to: '01818012345',
      toKind: 'fnr',
    });
    expect(toNoarkOperation(removeClass)).toEqual({
      type: 'remove_class',
      target: 'case-1',
      system: 'GBNR',
      classId: '1806-1/3/0/0',
      keep: '1806-1/9/0/0',
    });
  });
});

describe('createArchiveBridge against the Noark simulator', () => {
  let sim: NoarkSimulator;
  const auth = basicAuth('arkiv', 'sandbox-only');
  let bridge: ReturnType<typeof createArchiveBridge>;

  beforeAll(async () => {
    const world = generateMunicipality({ seed: 'bridge', people: 200 });
    sim = await createNoarkSimulator({
      world,
      basicAuth: { username: 'arkiv', password: 'sandbox-only' },
      validateFiksXsd: false,
    });
    bridge = createArchiveBridge(
      createNoarkAdapter({
        baseURL: sim.tgBaseURL,
        auth,
        fiks: { transport: createHttpFiksArkivTransport({ baseURL: sim.fiksBaseURL, auth }) },
      }),
    );
  });
  afterAll(async () => {
    await bridge.close?.();
    await sim.close();
  });

  const personParty = () => {
    for (const kase of sim.world.cases.values())
      for (const party of kase.parties) if (party.kind === 'person' && party.name) return { kase, party };
    throw new Error('no person party in the world');
  };

  it('applies an update once; the replay is already_applied and writes nothing', async () => {
    const { kase, party } = personParty();
    const wanted = `${party.name} Testesen`;
    const update = partyUpdate(kase, party, { name: wanted }, party.name);
    const before = sim.writeLog.length;
    expect((await bridge.apply(update, { idempotencyKey: update.idempotencyKey })).status).toBe('applied');
    expect((await bridge.apply(update, { idempotencyKey: update.idempotencyKey })).status).toBe(
      'already_applied',
    );
    const writes = sim.writeLog.slice(before);
    expect(writes.map((w) => w.kind)).toEqual(['update_party']);
    expect(writes[0]?.idempotencyKey).toBe(update.idempotencyKey);
    expect(party.name).toBe(wanted);
  });

  it('raises a conflict instead of overwriting a value edited since the plan', async () => {
    const { kase, party } = personParty();
    const stale = partyUpdate(kase, party, { name: 'Noen Andre' }, 'Et Navn Arkivet Aldri Hadde');
    const before = sim.writeLog.length;
    await expect(bridge.apply(stale, { idempotencyKey: stale.idempotencyKey })).rejects.toMatchObject({
      code: 'target_changed',
    });
    expect(sim.writeLog.length).toBe(before);
  });

  it('adds a party and creates a follow-up case once, however often applied', async () => {
    const kase = [...sim.world.cases.values()].find((c) => c.open) as WorldCase;
    const add = op({
      ...common,
      flow: 'F2',
      type: 'party.add',
      target: `saksmappe/${kase.systemId}`,
      caseSystemId: kase.systemId,
      party: { kind: 'organisation', identifier: '999999999', name: 'Ny Eier AS', role: 'Hjemmelshaver' },
    });
    const followup = op({
      ...common,
      flow: 'F4',
      type: 'case.create_followup',
      target: 'followup/test',
      followupType: 'konsesjon',
      title: 'Konsesjon etter eierskifte',
      classes: [{ system: 'GBNR', classId: '1806-1/2/0/0' }],
      parties: [{ kind: 'organisation', identifier: '999999999', name: 'Ny Eier AS', role: 'Kjøper' }],
      trigger: { kind: 'owner_change', matrikkelnummer: '1806-1/2/0/0' },
    });
    const before = sim.writeLog.length;
    for (let i = 0; i < 2; i++) {
      await bridge.apply(add, { idempotencyKey: add.idempotencyKey });
      await bridge.apply(followup, { idempotencyKey: followup.idempotencyKey });
    }
    const writes = sim.writeLog.slice(before);
    expect(writes.filter((w) => w.kind === 'add_party' && w.caseSystemId === kase.systemId)).toHaveLength(1);
    const created = writes.filter((w) => w.kind === 'create_case');
    expect(created).toHaveLength(1);
    expect(created[0]?.externalKey).toBe(followup.idempotencyKey);
  });
});
