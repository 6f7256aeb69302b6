import { describe, expect, it } from 'vitest';
import { finalizeOperation } from '../plan/operations.js';
import type { ArchiveOperation, OperationDraft } from '../plan/operations.js';
import { auditOf, baseValuesAfter } from './outbox.js';

const location = { container: 'saksmappe' as const, containerId: 'c1', partySystemId: 'p1', index: 0 };
const common = {
  system: 'noark' as const,
  flow: 'F1' as const,
  rule: 'F1.test',
  reason: 'Folkeregisteret: test',
};
const op = (draft: Record<string, unknown>): ArchiveOperation =>
  finalizeOperation({ ...common, ...draft } as unknown as OperationDraft) as ArchiveOperation;
const address = {
  kind: 'vegadresse' as const,
  adressenavn: 'Kongens gate',
  husnummer: 1,
  postnummer: '8514',
};

describe('baseValuesAfter', () => {
  it('records the values an applied operation establishes', () => {
    const update = op({
      type: 'party.update',
      target: 'saksmappe/c1/part/p1',
      location,
      set: { name: 'Ola Nordmann', address },
      expected: { name: 'Ola N', address: null },
    });
    expect(baseValuesAfter(update)).toEqual([
      { system: 'noark', recordKey: 'saksmappe/c1/part/p1', field: 'name', value: 'Ola Nordmann' },
      { system: 'noark', recordKey: 'saksmappe/c1/part/p1', field: 'address', value: address },
    ]);
    const remove = op({ type: 'party.remove_address', target: 'saksmappe/c1/part/p1', location });
    expect(baseValuesAfter(remove)).toEqual([
      { system: 'noark', recordKey: 'saksmappe/c1/part/p1', field: 'address', value: null },
    ]);
    const add = op({
      type: 'party.add',
      target: 'saksmappe/c1',
      caseSystemId: 'c1',
      party: { kind: 'person', name: 'Kari Nordmann', role: 'Hjemmelshaver' },
      baseField: 'hjemmelshaver:abc',
    });
    expect(baseValuesAfter(add)).toEqual([
      { system: 'noark', recordKey: 'saksmappe/c1', field: 'hjemmelshaver:abc', value: true },
    ]);
  });
});

describe('auditOf', () => {
  it('shows before/after for an ordinary person and <beskyttet> for a protected one', () => {
    const update = op({
      type: 'party.update',
      target: 'saksmappe/c1/part/p1',
      location,
      set: { address },
      expected: { address: null },
    });
    expect(auditOf(update, 'outbox.applied', false)).toMatchObject({
      actor: 'flow:F1',
      before: { address: null },
      after: { address },
      reason: 'Folkeregisteret: test',
    });
    const shielded = auditOf(update, 'outbox.applied', true);
    expect(shielded.before).toBe('<beskyttet>');
    expect(shielded.after).toBe('<beskyttet>');
    const remove = op({ type: 'party.remove_address', target: 'saksmappe/c1/part/p1', location });
    expect(auditOf(remove, 'outbox.applied', false)).toMatchObject({
      before: '<beskyttet>',
      after: '<beskyttet>',
    });
  });

  it('never puts an unmasked identifier in the audit', () => {
    // Synthetic Tenor-style numbers (birth month + 80), never real people.
    const rekey = op({
      type: 'party.rekey_identifier',
      target: 'saksmappe/c1/part/p1',
      location,
      from: '41828512345',
      to: '01828512345',
      toKind: 'fnr',
    });
    expect(JSON.stringify(auditOf(rekey, 'outbox.applied', false))).not.toMatch(/\d{11}/);
  });
});
