import { UpstreamInvalidError, quarantine } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { auditEntryHash, canonicalJson, sha256Hex, toQuarantineInput } from '../src/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"x":2,"y":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('writes undefined as null at the top and in arrays, like JSON', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, null, 'x'])).toBe('[null,null,"x"]');
  });

  it('round-trips through JSON.parse to the same text', () => {
    const value = { å: 'Nordre ø', n: -0, big: 1e21, list: [true, false, 0.1], date: new Date(0) };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(text).toContain('"date":"1970-01-01T00:00:00.000Z"');
  });

  it('hashes with sha256 hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('auditEntryHash', () => {
  const entry = {
    seq: 1,
    at: '2026-11-25T12:00:00.000Z',
    actor: 'flow:F1',
    action: 'outbox.applied',
    entity: 'part-1',
    before: '{"a":1}',
    after: null,
    reason: null,
    prevHash: '0'.repeat(64),
  };

  it('changes with every field, the tenant and the previous hash', () => {
    const base = auditEntryHash('1806', entry);
    expect(auditEntryHash('1806', { ...entry })).toBe(base);
    expect(auditEntryHash('1875', entry)).not.toBe(base);
    expect(auditEntryHash('1806', { ...entry, seq: 2 })).not.toBe(base);
    expect(auditEntryHash('1806', { ...entry, actor: 'user:x' })).not.toBe(base);
    expect(auditEntryHash('1806', { ...entry, before: '{"a":2}' })).not.toBe(base);
    expect(auditEntryHash('1806', { ...entry, prevHash: '1'.repeat(64) })).not.toBe(base);
  });

  it('does not depend on key order or spacing of the stored JSON', () => {
    expect(auditEntryHash('1806', { ...entry, before: '{"b":2,"a":1}' })).toBe(
      auditEntryHash('1806', { ...entry, before: '{ "a": 1, "b": 2 }' }),
    );
  });
});

describe('toQuarantineInput', () => {
  it('takes code, message, hint, keys and excerpt from an adapter quarantine entry', () => {
    const error = new UpstreamInvalidError('Person payload failed the schema', {
      system: 'folkeregister',
      hint: 'Report the record to Skatteetaten.',
      excerpt: '{"navn":',
    });
    const entry = quarantine('person', error, { key: '***********', rawKey: '01829912345' }, 'folkeregister');
    expect(toQuarantineInput('folkeregister', entry, 7)).toEqual({
      source: 'folkeregister',
      recordType: 'person',
      errorCode: 'upstream_invalid',
      reason: 'Person payload failed the schema — Report the record to Skatteetaten.',
      key: '***********',
      rawKey: '01829912345',
      excerpt: '{"navn":',
      runId: 7,
    });
  });

  it('wraps anything thrown', () => {
    const entry = quarantine('event', new Error('boom'));
    expect(toQuarantineInput('matrikkel', entry)).toEqual({
      source: 'matrikkel',
      recordType: 'event',
      errorCode: 'unexpected',
      reason: 'boom',
    });
  });
});
