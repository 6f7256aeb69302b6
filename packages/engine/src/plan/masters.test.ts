import { hasErrorCode } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MASTERS, DEFAULT_MASTER_RULES, MasterOverridesSchema, resolveMasters } from './masters.js';

describe('masters per field', () => {
  it('declares the DESIGN.md masters as data', () => {
    expect(DEFAULT_MASTERS['person.name']).toBe('folkeregister');
    expect(DEFAULT_MASTERS['person.address']).toBe('folkeregister');
    expect(DEFAULT_MASTERS['person.status']).toBe('folkeregister');
    expect(DEFAULT_MASTERS['property.owners']).toBe('matrikkel');
    expect(DEFAULT_MASTERS['property.addresses']).toBe('matrikkel');
    expect(DEFAULT_MASTERS['holding.produsentnummer']).toBe('landbruk');
    expect(DEFAULT_MASTERS['case.records']).toBe('noark');
    expect(DEFAULT_MASTERS['party.caseRoles']).toBe('noark');
    expect(DEFAULT_MASTERS['geometry.representationPoint']).toBe('matrikkel');
    expect(DEFAULT_MASTERS['geometry.boundary']).toBe('kart');
    for (const rule of DEFAULT_MASTER_RULES) expect(rule.allowed).toContain(rule.master);
  });

  it('applies overrides from config without touching the defaults', () => {
    const masters = resolveMasters({ 'person.name': 'noark' });
    expect(masters['person.name']).toBe('noark');
    expect(masters['person.address']).toBe('folkeregister');
    expect(DEFAULT_MASTERS['person.name']).toBe('folkeregister');
    expect(resolveMasters()).toEqual(DEFAULT_MASTERS);
    expect(resolveMasters(undefined)).toEqual(DEFAULT_MASTERS);
  });

  it('rejects unknown fields and systems with a ConfigError naming the key', () => {
    expect(MasterOverridesSchema.safeParse({ 'person.shoeSize': 'noark' }).success).toBe(false);
    try {
      resolveMasters({ 'person.name': 'skatteetaten' });
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'config_invalid')).toBe(true);
      expect((error as Error).message).toContain('person.name');
    }
  });

  it('never lets a protected address get a master other than Folkeregisteret', () => {
    try {
      resolveMasters({ 'person.address': 'noark' });
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'config_invalid')).toBe(true);
      expect((error as { details?: { key?: string } }).details?.key).toBe('masters.person.address');
    }
  });
});
