import { describe, expect, it } from 'vitest';
import {
  ArchiveOperationSchema,
  type OperationDraft,
  caseTarget,
  classTarget,
  fieldsOf,
  finalizeOperation,
  idempotencyKeyOf,
  partyTarget,
} from './operations.js';
import { fnr, vegadresse } from './test-fixtures.js';

const location = { container: 'saksmappe' as const, containerId: 'S1', partySystemId: 'P1', index: 0 };

function update(address = vegadresse('Nygata', 2), expectedName = 'Ola'): OperationDraft {
  return {
    type: 'party.update',
    system: 'noark',
    target: partyTarget(location),
    flow: 'F1',
    rule: 'F1.address',
    reason: 'Folkeregisteret: flyttet 2026-10-01',
    location,
    set: { address },
    expected: { address: vegadresse('Storgata', 1), name: expectedName },
  };
}

describe('operations', () => {
  it('targets name the archive record and never a person identifier', () => {
    expect(partyTarget(location)).toBe('saksmappe/S1/part/P1');
    expect(partyTarget({ container: 'journalpost', containerId: 'J9', index: 3 })).toBe(
      'journalpost/J9/korrespondansepart/#3',
    );
    expect(caseTarget('S1')).toBe('saksmappe/S1');
    expect(classTarget('S1', { system: 'GBNR', classId: '12/3' })).toBe('saksmappe/S1/klasse/GBNR:12/3');
    expect(classTarget('S1', { system: 'GBNR', classId: '12/3', systemId: 'K7' })).toBe(
      'saksmappe/S1/klasse/K7',
    );
  });

  it('idempotency keys are stable across recomputation and independent of key order', () => {
    const a = finalizeOperation(update());
    const b = finalizeOperation(update());
    expect(a.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a.idempotencyKey).toBe(b.idempotencyKey);
    const reordered = {
      ...update(),
      set: {
        address: {
          postnummer: '8514',
          kind: 'vegadresse',
          husnummer: 2,
          adressenavn: 'Nygata',
          poststed: 'NARVIK',
          kommunenummer: '1806',
        },
      },
    } as OperationDraft;
    expect(idempotencyKeyOf(reordered)).toBe(a.idempotencyKey);
  });

  it('keys differ for different wanted values, targets, flows and types', () => {
    const base = idempotencyKeyOf(update());
    expect(idempotencyKeyOf(update(vegadresse('Nygata', 3)))).not.toBe(base);
    expect(idempotencyKeyOf({ ...update(), target: 'saksmappe/S1/part/P2' })).not.toBe(base);
    expect(idempotencyKeyOf({ ...update(), flow: 'F6' })).not.toBe(base);
    // Reasons, rules and expected values are not part of the wish: same key.
    expect(idempotencyKeyOf({ ...update(), reason: 'other words', rule: 'x' })).toBe(base);
    expect(idempotencyKeyOf(update(vegadresse('Nygata', 2), 'Kari'))).toBe(base);
  });

  it('every operation type validates against its schema', () => {
    const from = fnr('1980-01-15', 100, 'dnr');
    const to = fnr('1980-01-15', 200);
    const drafts: OperationDraft[] = [
      update(),
      {
        type: 'party.remove_address',
        system: 'noark',
        target: 't',
        flow: 'F1',
        rule: 'r',
        reason: 'x',
        location,
      },
      {
        type: 'party.rekey_identifier',
        system: 'noark',
        target: 't',
        flow: 'F1',
        rule: 'r',
        reason: 'x',
        location,
        from,
        to,
        toKind: 'fnr',
      },
      {
        type: 'party.add',
        system: 'noark',
        target: 'saksmappe/S1',
        flow: 'F2',
        rule: 'F2.owner',
        reason: 'x',
        caseSystemId: 'S1',
        party: { kind: 'person', identifier: to, name: 'Ola Nordmann', role: 'Hjemmelshaver' },
      },
      {
        type: 'class.rekey',
        system: 'noark',
        target: 't',
        flow: 'F2',
        rule: 'r',
        reason: 'x',
        caseSystemId: 'S1',
        from: '1854-1/2',
        to: '1806-1/2',
        fromKey: '1854-1/2/0/0',
        toKey: '1806-1/2/0/0',
      },
      {
        type: 'class.remove',
        system: 'noark',
        target: 't',
        flow: 'F2',
        rule: 'r',
        reason: 'x',
        caseSystemId: 'S1',
        classId: '1806-1/2',
        keptKey: '1806-1/3/0/0',
      },
      {
        type: 'case.create_followup',
        system: 'noark',
        target: 'oppfolging/konsesjon/1806-1/2/0/0',
        flow: 'F4',
        rule: 'F4.owner_change',
        reason: 'x',
        followupType: 'konsesjon',
        title: 'Konsesjon 1806-1/2',
        classes: [{ system: 'GBNR', classId: '1806-1/2/0/0' }],
        parties: [],
        trigger: { kind: 'owner_change', matrikkelnummer: '1806-1/2/0/0', at: '2026-10-01' },
      },
    ];
    const keys = new Set<string>();
    for (const draft of drafts) {
      const op = finalizeOperation(draft);
      expect(ArchiveOperationSchema.safeParse(op).success, op.type).toBe(true);
      expect(fieldsOf(op).length).toBeGreaterThan(0);
      keys.add(op.idempotencyKey);
    }
    expect(keys.size).toBe(drafts.length);
  });

  it('the schema rejects a missing key, a bad flow and a malformed identifier', () => {
    const op = finalizeOperation(update());
    expect(ArchiveOperationSchema.safeParse({ ...op, idempotencyKey: 'x' }).success).toBe(false);
    expect(ArchiveOperationSchema.safeParse({ ...op, flow: 'F9' }).success).toBe(false);
    expect(
      ArchiveOperationSchema.safeParse({
        ...op,
        type: 'party.rekey_identifier',
        from: '123',
        to: '456',
        toKind: 'fnr',
      }).success,
    ).toBe(false);
  });
});
