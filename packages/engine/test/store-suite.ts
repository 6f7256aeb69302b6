import { hasErrorCode } from '@registerbro/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxInput, Store, TenantStore } from '../src/index.js';
import { engineMigrations } from '../src/index.js';

/** A store under test plus a way to reach its tables behind its back. */
export interface StoreHarness {
  store: Store;
  /** Run raw SQL on the store's tables with `$1, $2, …` placeholders (in order). */
  raw(sqlText: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** A clock the tests move forward to expire leases and locks without sleeping. */
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function createTestClock(): TestClock {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}

// Synthetic Tenor-style number (birth month + 80): never a real person.
const SYNTHETIC_FNR = '01829912345';

function op(key: string, extra: Partial<OutboxInput> = {}): OutboxInput {
  return {
    idempotencyKey: key,
    flow: 'F1',
    system: 'noark',
    type: 'updatePartAddress',
    target: `part-${key}`,
    payload: { address: { street: 'Kongens gate 1', postnummer: '8514' } },
    ...extra,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected an error with code ${code}`).toBeDefined();
  expect(hasErrorCode(error, code), `got ${String((error as Error)?.message)}`).toBe(true);
}

/**
 * The one conformance suite every store implementation runs. Each test takes fresh tenants, so the
 * tests of one file share a database without seeing each other's rows.
 */
export function defineStoreSuite(label: string, open: (clock: TestClock) => Promise<StoreHarness>): void {
  describe(label, () => {
    const clock = createTestClock();
    let harness: StoreHarness;
    // 2000–8999: clear of 1806/1875, which the cross-process tests use in the same database.
    let tenantCounter = 2000 + Math.floor(Math.random() * 6000);
    const nextTenant = (): TenantStore => harness.store.forTenant(String(tenantCounter++));

    beforeAll(async () => {
      harness = await open(clock);
    });
    afterAll(async () => {
      await harness?.close();
    });

    it('migrates idempotently', async () => {
      expect(await harness.store.migrate()).toEqual({ applied: [] });
      expect(await harness.store.migrate()).toEqual({ applied: [] });
      const rows = await harness.raw('select name from registerbro_migration order by name');
      expect(rows.map((r) => r.name)).toEqual(Object.keys(engineMigrations));
    });

    it('rejects a tenant that is not a kommunenummer', () => {
      expect(() => harness.store.forTenant('narvik')).toThrow(/kommunenummer/);
      try {
        harness.store.forTenant('18060');
      } catch (error) {
        expect(hasErrorCode(error, 'config_invalid')).toBe(true);
      }
    });

    it('keeps tenants apart: the same keys in two tenants do not see each other', async () => {
      const a = nextTenant();
      const b = nextTenant();
      await a.setCursor('folkeregister', 'hendelser', '100');
      await b.setCursor('folkeregister', 'hendelser', '200');
      const ea = await a.enqueue([op('same-key')]);
      const eb = await b.enqueue([op('same-key', { target: 'other' })]);
      expect(ea[0]!.created).toBe(true);
      expect(eb[0]!.created).toBe(true);
      await a.openConflict({
        conflictKey: 'c1',
        flow: 'F1',
        rule: 'local_edit',
        reason: 'r',
        entityType: 'person',
        entityKey: 'p',
        master: 1,
        target: 2,
      });
      await a.link({
        entityType: 'person',
        canonicalId: 'A',
        system: 'folkeregister',
        systemId: SYNTHETIC_FNR,
      });
      await b.link({
        entityType: 'person',
        canonicalId: 'B',
        system: 'folkeregister',
        systemId: SYNTHETIC_FNR,
      });
      await a.appendAudit({ actor: 'flow:F1', action: 'test', entity: 'x' });
      expect(await a.tryLock('F1', 'worker-a', 10_000)).toBe(true);
      expect(await b.tryLock('F1', 'worker-b', 10_000)).toBe(true);

      expect(await a.getCursor('folkeregister', 'hendelser')).toBe('100');
      expect(await b.getCursor('folkeregister', 'hendelser')).toBe('200');
      expect((await a.listOutbox()).map((i) => i.target)).toEqual(['part-same-key']);
      expect((await b.listOutbox()).map((i) => i.target)).toEqual(['other']);
      expect(await b.listConflicts()).toEqual([]);
      expect(await a.resolveCanonical('person', 'folkeregister', SYNTHETIC_FNR)).toBe('A');
      expect(await b.resolveCanonical('person', 'folkeregister', SYNTHETIC_FNR)).toBe('B');
      expect((await a.listAudit()).length).toBe(1);
      expect(await b.listAudit()).toEqual([]);
      expect(await b.verifyAudit()).toEqual({ ok: true, entries: 0, headHash: '0'.repeat(64) });
      const claimedByB = await b.claim({ owner: 'w' });
      expect(claimedByB.map((i) => i.target)).toEqual(['other']);
      expect((await a.getOutboxItem(ea[0]!.item.id))?.leaseOwner).toBeNull();
    });

    it('stores and lists cursors', async () => {
      const t = nextTenant();
      expect(await t.getCursor('matrikkel', 'endringer')).toBeUndefined();
      await t.setCursor('matrikkel', 'endringer', '41');
      await t.setCursor('matrikkel', 'endringer', '42');
      await t.setCursor('folkeregister', 'hendelser', '7');
      expect(await t.getCursor('matrikkel', 'endringer')).toBe('42');
      const all = await t.listCursors();
      expect(all.map((c) => [c.source, c.stream, c.cursor])).toEqual([
        ['folkeregister', 'hendelser', '7'],
        ['matrikkel', 'endringer', '42'],
      ]);
    });

    it('commits a page with its cursor in one transaction', async () => {
      const t = nextTenant();
      const result = await t.commitPage({
        source: 'folkeregister',
        stream: 'hendelser',
        cursor: '1000',
        expectedCursor: null,
        operations: [op('k1'), op('k2')],
        conflicts: [
          {
            conflictKey: 'F1:part-9:address',
            flow: 'F1',
            rule: 'local_edit',
            reason: 'address edited in the archive',
            entityType: 'person',
            entityKey: 'part-9',
            master: { street: 'A' },
            target: { street: 'B' },
            base: { street: 'C' },
          },
        ],
        quarantine: [
          { source: 'folkeregister', recordType: 'event', errorCode: 'upstream_invalid', reason: 'bad JSON' },
        ],
        baseValues: [{ system: 'noark', recordKey: 'part-1', field: 'street', value: 'A' }],
        references: {
          add: [
            { masterSystem: 'folkeregister', masterKey: 'p1', targetSystem: 'noark', targetKey: 'part-1' },
          ],
        },
        audit: [{ actor: 'flow:F1', action: 'page.commit', entity: 'folkeregister/hendelser' }],
      });
      expect(result.operations.map((o) => o.created)).toEqual([true, true]);
      expect(result.conflicts[0]!.created).toBe(true);
      expect(result.quarantine[0]!.created).toBe(true);
      expect(result.audit.map((a) => a.seq)).toEqual([1]);
      expect(await t.getCursor('folkeregister', 'hendelser')).toBe('1000');
      expect(await t.getBase('noark', 'part-1')).toEqual({ street: 'A' });
      expect((await t.dependentsOf('folkeregister', 'p1')).map((r) => r.targetKey)).toEqual(['part-1']);

      // The next page must start from the stored cursor.
      await t.commitPage({
        source: 'folkeregister',
        stream: 'hendelser',
        cursor: '2000',
        expectedCursor: '1000',
      });
      expect(await t.getCursor('folkeregister', 'hendelser')).toBe('2000');
    });

    it('stores nothing when a page commit fails midway (cursor unchanged)', async () => {
      const t = nextTenant();
      await t.setCursor('folkeregister', 'hendelser', '10');
      const page = {
        source: 'folkeregister',
        stream: 'hendelser',
        cursor: '20',
        quarantine: [{ source: 'folkeregister', recordType: 'event', errorCode: 'x', reason: 'y' }],
        conflicts: [
          {
            conflictKey: 'k',
            flow: 'F1',
            rule: 'r',
            reason: 'r',
            entityType: 'person',
            entityKey: 'e',
            master: 1,
            target: 2,
          },
        ],
        // JSON.stringify throws on a BigInt: the failure comes after the cursor, quarantine and
        // conflict writes of the same transaction.
        operations: [op('ok'), op('bad', { payload: { n: 10n } })],
        audit: [{ actor: 'flow:F1', action: 'x', entity: 'y' }],
      };
      await expect(t.commitPage(page)).rejects.toThrow();
      expect(await t.getCursor('folkeregister', 'hendelser')).toBe('10');
      expect(await t.listOutbox()).toEqual([]);
      expect(await t.listConflicts()).toEqual([]);
      expect(await t.listQuarantine()).toEqual([]);
      expect(await t.listAudit()).toEqual([]);

      // An explicit transaction that throws after a successful commitPage rolls it back too.
      await expect(
        t.transaction(async (tx) => {
          await tx.commitPage({ ...page, operations: [op('ok')] });
          throw new Error('crash after commitPage');
        }),
      ).rejects.toThrow('crash after commitPage');
      expect(await t.getCursor('folkeregister', 'hendelser')).toBe('10');
      expect(await t.listOutbox()).toEqual([]);
      expect(await t.verifyAudit()).toMatchObject({ ok: true, entries: 0 });
    });

    it('refuses a page commit when the cursor moved (compare-and-set)', async () => {
      const t = nextTenant();
      await t.setCursor('matrikkel', 'endringer', '5');
      await expectCode(
        t.commitPage({
          source: 'matrikkel',
          stream: 'endringer',
          cursor: '9',
          expectedCursor: '4',
          operations: [op('x')],
        }),
        'cursor_moved',
      );
      await expectCode(
        t.commitPage({ source: 'matrikkel', stream: 'endringer', cursor: '9', expectedCursor: null }),
        'cursor_moved',
      );
      expect(await t.getCursor('matrikkel', 'endringer')).toBe('5');
      expect(await t.listOutbox()).toEqual([]);
    });

    it('enqueues an idempotency key once', async () => {
      const t = nextTenant();
      const first = await t.enqueue([op('key-1')]);
      const second = await t.enqueue([op('key-1', { target: 'changed' }), op('key-2'), op('key-2')]);
      expect(first[0]!.created).toBe(true);
      expect(second.map((r) => r.created)).toEqual([false, true, false]);
      expect(second[0]!.item.id).toBe(first[0]!.item.id);
      expect(second[0]!.item.target).toBe('part-key-1');
      expect(second[2]!.item.id).toBe(second[1]!.item.id);
      const all = await t.listOutbox();
      expect(all.map((i) => i.idempotencyKey)).toEqual(['key-1', 'key-2']);
      expect(all[0]!.payload).toEqual({ address: { street: 'Kongens gate 1', postnummer: '8514' } });
      expect(all[0]!.status).toBe('pending');
    });

    it('leases claimed items and returns a crashed worker’s claims after expiry', async () => {
      const t = nextTenant();
      await t.enqueue([op('a'), op('b'), op('c')]);
      const byA = await t.claim({ owner: 'worker-a', limit: 2, leaseMs: 30_000 });
      expect(byA.map((i) => i.idempotencyKey)).toEqual(['a', 'b']);
      expect(byA.every((i) => i.leaseOwner === 'worker-a' && i.attempts === 1)).toBe(true);
      const byB = await t.claim({ owner: 'worker-b', leaseMs: 30_000 });
      expect(byB.map((i) => i.idempotencyKey)).toEqual(['c']);
      expect(await t.claim({ owner: 'worker-c' })).toEqual([]);

      expect(await t.markApplied(byA[0]!.id, 'worker-b')).toBeUndefined();
      const applied = await t.markApplied(byA[0]!.id, 'worker-a', { status: 'applied', ref: { id: '77' } });
      expect(applied?.status).toBe('applied');
      expect(applied?.result).toEqual({ status: 'applied', ref: { id: '77' } });
      expect(applied?.leaseOwner).toBeNull();

      // worker-a crashes holding "b"; once the lease runs out, worker-c gets it.
      clock.advance(30_001);
      const byC = await t.claim({ owner: 'worker-c' });
      expect(byC.map((i) => i.idempotencyKey)).toEqual(['b', 'c']);
      expect(byC[0]!.attempts).toBe(2);
      expect(await t.markApplied(byA[1]!.id, 'worker-a')).toBeUndefined();
      expect((await t.markConflicted(byC[0]!.id, 'worker-c', { conflictId: 3 }))?.status).toBe('conflicted');

      // A retryable failure makes the item claimable again at retryAt, not before.
      const retryAt = new Date(clock.now() + 60_000).toISOString();
      const retried = await t.markFailed(byC[1]!.id, 'worker-c', {
        code: 'rate_limited',
        message: 'try later',
        retryAt,
      });
      expect(retried?.status).toBe('pending');
      expect(await t.claim({ owner: 'worker-d' })).toEqual([]);
      clock.advance(60_000);
      const again = await t.claim({ owner: 'worker-d' });
      expect(again.map((i) => i.idempotencyKey)).toEqual(['c']);
      const failed = await t.markFailed(again[0]!.id, 'worker-d', {
        code: 'http_error',
        message: 'HTTP 500',
      });
      expect(failed?.status).toBe('failed');
      expect(failed?.errorCode).toBe('http_error');
      expect(await t.markApplied(again[0]!.id, 'worker-d')).toBeUndefined();

      expect((await t.listOutbox({ status: 'applied' })).map((i) => i.idempotencyKey)).toEqual(['a']);
      expect((await t.listOutbox({ status: 'conflicted' })).map((i) => i.idempotencyKey)).toEqual(['b']);
      expect((await t.listOutbox({ status: 'failed' })).map((i) => i.idempotencyKey)).toEqual(['c']);
      expect(await t.listOutbox({ status: 'pending' })).toEqual([]);
    });

    it('filters claims by flow and system', async () => {
      const t = nextTenant();
      await t.enqueue([op('f1'), op('f2', { flow: 'F2', system: 'landbruk' })]);
      expect((await t.claim({ owner: 'w', flow: 'F2' })).map((i) => i.idempotencyKey)).toEqual(['f2']);
      expect((await t.claim({ owner: 'w', system: 'landbruk' })).length).toBe(0);
      const [f1] = await t.claim({ owner: 'w', system: 'noark' });
      expect(f1?.idempotencyKey).toBe('f1');
      await expectCode(
        t.markFailed(f1!.id, 'w', { code: 'x', message: 'y', retryAt: 'tomorrow' }),
        'invalid_input',
      );
      const retried = await t.markFailed(f1!.id, 'w', {
        code: 'x',
        message: 'y',
        retryAt: '2000-01-01T00:00:00Z',
      });
      expect(retried?.availableAt).toBe('2000-01-01T00:00:00.000Z');
      expect((await t.claim({ owner: 'w2' })).map((i) => [i.idempotencyKey, i.attempts])).toEqual([
        ['f1', 2],
      ]);
      await expectCode(t.claim({ owner: 'w', limit: 0 }), 'invalid_input');
    });

    it('opens a conflict once while open, resolves it with an audit entry', async () => {
      const t = nextTenant();
      const input = {
        conflictKey: 'F1:part-1:address',
        flow: 'F1',
        rule: 'local_edit',
        reason: 'address edited in the archive since the last sync',
        entityType: 'person',
        entityKey: 'part-1',
        master: { street: 'Kongens gate 1' },
        target: { street: 'Dronningens gate 2' },
        base: { street: 'Storgata 3' },
      };
      const first = await t.openConflict(input);
      const second = await t.openConflict({ ...input, master: { street: 'Kongens gate 5' } });
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(second.conflict.id).toBe(first.conflict.id);
      expect(second.conflict.occurrences).toBe(2);
      expect(second.conflict.master).toEqual({ street: 'Kongens gate 5' });
      expect(second.conflict.base).toEqual({ street: 'Storgata 3' });
      await t.openConflict({ ...input, conflictKey: 'F2:case-1:gbnr', flow: 'F2' });
      expect((await t.listConflicts({ status: 'open' })).length).toBe(2);
      expect((await t.listConflicts({ flow: 'F2' })).map((c) => c.conflictKey)).toEqual(['F2:case-1:gbnr']);
      await t.openConflict({ ...input, conflictKey: 'F1:part-2:name', rule: 'unmatched_party' });
      expect((await t.listConflicts({ rule: 'unmatched_party' })).map((c) => c.conflictKey)).toEqual([
        'F1:part-2:name',
      ]);
      expect((await t.listConflicts({ rule: 'local_edit', flow: 'F2' })).length).toBe(1);

      const resolved = await t.resolveConflict(first.conflict.id, {
        resolution: 'keep_local',
        by: 'user:admin',
        note: 'the archive is right',
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'keep_local',
        resolvedBy: 'user:admin',
      });
      expect(
        await t.resolveConflict(first.conflict.id, { resolution: 'keep_local', by: 'user:other' }),
      ).toEqual(resolved);
      await expectCode(
        t.resolveConflict(first.conflict.id, { resolution: 'take_master', by: 'user:x' }),
        'conflict_already_resolved',
      );
      await expectCode(
        t.resolveConflict(999_999, { resolution: 'ignore', by: 'user:x' }),
        'conflict_unknown',
      );
      await expectCode(
        t.resolveConflict(first.conflict.id, { resolution: 'link', by: 'user:x' }),
        'invalid_input',
      );

      const audit = await t.listAudit();
      expect(audit.map((a) => [a.actor, a.action, a.entity])).toEqual([
        ['user:admin', 'conflict.resolve', `conflict:${first.conflict.id}`],
      ]);
      expect(audit[0]!.after).toMatchObject({ resolution: 'keep_local' });

      // The same problem found again after the resolution is a new conflict.
      const reopened = await t.openConflict(input);
      expect(reopened.created).toBe(true);
      expect(reopened.conflict.id).not.toBe(first.conflict.id);
      expect((await t.getConflict(first.conflict.id))?.status).toBe('resolved');
      const linked = await t.resolveConflict(reopened.conflict.id, {
        resolution: 'link',
        by: 'user:admin',
        linkTo: 'person:42',
      });
      expect(linked.linkTo).toBe('person:42');
      expect(await t.verifyAudit()).toMatchObject({ ok: true, entries: 2 });
    });

    it('quarantines bad input once per record and error, and releases it', async () => {
      const t = nextTenant();
      const entry = {
        source: 'folkeregister',
        recordType: 'person',
        key: '***********',
        rawKey: SYNTHETIC_FNR,
        errorCode: 'invalid_identifier',
        reason: 'control digit check failed',
        excerpt: '{"identifikasjonsnummer":"x"}',
      };
      const first = await t.addQuarantine(entry);
      const second = await t.addQuarantine(entry);
      const other = await t.addQuarantine({ ...entry, errorCode: 'upstream_invalid' });
      expect([first.created, second.created, other.created]).toEqual([true, false, true]);
      expect(second.entry.id).toBe(first.entry.id);
      expect(second.entry.occurrences).toBe(2);
      expect(first.entry.rawKey).toBe(SYNTHETIC_FNR);
      expect(first.entry.recordKey).toBe('***********');

      const released = await t.releaseQuarantine(first.entry.id, 'user:admin', 'fixed upstream');
      expect(released).toMatchObject({
        status: 'released',
        releasedBy: 'user:admin',
        releaseNote: 'fixed upstream',
      });
      expect((await t.releaseQuarantine(first.entry.id, 'user:admin'))?.status).toBe('released');
      expect(await t.releaseQuarantine(999_999, 'user:admin')).toBeUndefined();
      expect((await t.listQuarantine({ status: 'open' })).map((q) => q.id)).toEqual([other.entry.id]);
      expect((await t.listQuarantine({ source: 'matrikkel' })).length).toBe(0);
      expect((await t.listAudit()).map((a) => a.action)).toEqual(['quarantine.release']);

      // Seen again after release: a new entry.
      expect((await t.addQuarantine(entry)).created).toBe(true);
    });

    it('redacts eleven-digit numbers in every free-text field before storing', async () => {
      const t = nextTenant();
      const leak = `person ${SYNTHETIC_FNR} failed`;
      const q = await t.addQuarantine({
        source: 'folkeregister',
        recordType: 'person',
        key: SYNTHETIC_FNR,
        rawKey: SYNTHETIC_FNR,
        errorCode: 'invalid_identifier',
        reason: leak,
        excerpt: `{"id":"${SYNTHETIC_FNR}"}`,
      });
      expect(q.entry.reason).toBe('person *********** failed');
      expect(q.entry.recordKey).toBe('***********');
      expect(q.entry.excerpt).toBe('{"id":"***********"}');
      expect(q.entry.rawKey).toBe(SYNTHETIC_FNR);
      const c = await t.openConflict({
        conflictKey: 'k',
        flow: 'F1',
        rule: 'ambiguous_match',
        reason: leak,
        entityType: 'person',
        entityKey: SYNTHETIC_FNR,
        rawEntityKey: SYNTHETIC_FNR,
        master: null,
        target: null,
      });
      expect(c.conflict.reason).toBe('person *********** failed');
      expect(c.conflict.entityKey).toBe('***********');
      await t.resolveConflict(c.conflict.id, { resolution: 'ignore', by: 'user:a', note: leak });
      const run = await t.startRun({ flow: 'F1', mode: 'incremental' });
      await t.finishRun(run.id, { status: 'degraded', message: leak });
      await t.enqueue([op('r')]);
      const [claimed] = await t.claim({ owner: 'w' });
      await t.markFailed(claimed!.id, 'w', { code: 'http_error', message: leak });
      await t.appendAudit({ actor: 'flow:F1', action: 'x', entity: `person:${SYNTHETIC_FNR}`, reason: leak });

      // Behind the store's back: no stored text outside the raw-key columns holds the number.
      const tables: [string, string[]][] = [
        ['quarantine', ['record_key', 'reason', 'excerpt']],
        ['conflicts', ['entity_key', 'reason', 'resolution_note']],
        ['runs', ['message']],
        ['outbox', ['error']],
        ['audit_log', ['entity', 'reason']],
      ];
      for (const [table, columns] of tables) {
        const rows = await harness.raw(`select ${columns.join(', ')} from ${table} where tenant = $1`, [
          t.tenant,
        ]);
        expect(rows.length).toBeGreaterThan(0);
        expect(JSON.stringify(rows), table).not.toContain(SYNTHETIC_FNR);
        expect(JSON.stringify(rows), table).toContain('***********');
      }
      const raw = await harness.raw('select raw_key from quarantine where tenant = $1', [t.tenant]);
      expect(raw[0]!.raw_key).toBe(SYNTHETIC_FNR);
    });

    it('links identities and keeps re-key history', async () => {
      const t = nextTenant();
      const dnr = '41829912345'; // synthetic D-nummer shape
      const link = await t.link({
        entityType: 'person',
        canonicalId: 'person:1',
        system: 'folkeregister',
        systemId: dnr,
      });
      expect(
        await t.link({
          entityType: 'person',
          canonicalId: 'person:1',
          system: 'folkeregister',
          systemId: dnr,
        }),
      ).toEqual(link);
      await expectCode(
        t.link({ entityType: 'person', canonicalId: 'person:2', system: 'folkeregister', systemId: dnr }),
        'identity_conflict',
      );
      await t.link({ entityType: 'person', canonicalId: 'person:1', system: 'noark', systemId: 'part-7' });
      await t.link({ entityType: 'person', canonicalId: 'person:1', system: 'noark', systemId: 'part-8' });

      const rekeyed = await t.rekey({
        entityType: 'person',
        system: 'folkeregister',
        from: dnr,
        to: SYNTHETIC_FNR,
        reason: `D-nummer ${dnr} replaced`,
      });
      expect(rekeyed).toMatchObject({ canonicalId: 'person:1', systemId: SYNTHETIC_FNR, validTo: null });
      expect(
        await t.rekey({ entityType: 'person', system: 'folkeregister', from: dnr, to: SYNTHETIC_FNR }),
      ).toEqual(rekeyed);
      expect(await t.resolveCanonical('person', 'folkeregister', SYNTHETIC_FNR)).toBe('person:1');
      expect(await t.resolveCanonical('person', 'folkeregister', dnr)).toBeUndefined();
      expect(await t.resolveCanonical('person', 'folkeregister', dnr, { includeHistory: true })).toBe(
        'person:1',
      );
      expect((await t.systemIds('person', 'person:1', 'noark')).map((l) => l.systemId)).toEqual([
        'part-7',
        'part-8',
      ]);
      expect((await t.systemIds('person', 'person:1')).map((l) => l.systemId)).toEqual([
        'part-7',
        'part-8',
        SYNTHETIC_FNR,
      ]);
      const history = await t.linkHistory('person', 'person:1');
      const old = history.find((l) => l.systemId === dnr)!;
      expect(old.validTo).not.toBeNull();
      expect(old.replacedBy).toBe(SYNTHETIC_FNR);
      expect(old.reason).toBe('D-nummer *********** replaced');
      await expectCode(
        t.rekey({ entityType: 'person', system: 'folkeregister', from: 'nobody', to: 'x' }),
        'identity_unknown',
      );
      // The old id may be linked afresh to someone else once it is history.
      await t.link({ entityType: 'person', canonicalId: 'person:9', system: 'folkeregister', systemId: dnr });
      expect(await t.resolveCanonical('person', 'folkeregister', dnr)).toBe('person:9');
    });

    it('indexes references from target records to master entities', async () => {
      const t = nextTenant();
      const ref = {
        masterSystem: 'matrikkel',
        masterKey: '1806-12/3/0/0',
        targetSystem: 'noark',
        targetKey: 'sak-1',
      };
      await t.addReferences([ref, ref, { ...ref, targetKey: 'sak-2', relation: 'gbnr_class', flow: 'F2' }]);
      await t.addReferences([ref]);
      await t.addReferences([{ ...ref, masterKey: '1806-1/1/0/0' }]);
      expect(await t.dependentsOf('matrikkel', '1806-12/3/0/0')).toEqual([
        { ...ref, relation: '', flow: null },
        { ...ref, targetKey: 'sak-2', relation: 'gbnr_class', flow: 'F2' },
      ]);
      expect((await t.referencesOf('noark', 'sak-1')).map((r) => r.masterKey)).toEqual([
        '1806-1/1/0/0',
        '1806-12/3/0/0',
      ]);
      expect(
        await t.removeReferences({ targetSystem: 'noark', targetKey: 'sak-1', masterKey: '1806-1/1/0/0' }),
      ).toBe(1);
      expect(await t.removeReferences({ targetSystem: 'noark', targetKey: 'sak-1' })).toBe(1);
      expect((await t.dependentsOf('matrikkel', '1806-12/3/0/0')).map((r) => r.targetKey)).toEqual(['sak-2']);
    });

    it('removes the references of many targets at once (removeReferencesMany)', async () => {
      const t = nextTenant();
      const targets = Array.from({ length: 250 }, (_, i) => `sak-${i}`);
      await t.addReferences(
        targets.flatMap((targetKey) => [
          {
            masterSystem: 'folkeregister',
            masterKey: 'p1',
            targetSystem: 'noark',
            targetKey,
            relation: 'party',
          },
          {
            masterSystem: 'matrikkel',
            masterKey: 'u1',
            targetSystem: 'noark',
            targetKey,
            relation: 'gbnr_class',
          },
          {
            masterSystem: 'matrikkel',
            masterKey: 'a1',
            targetSystem: 'noark',
            targetKey,
            relation: 'address',
          },
        ]),
      );
      const removed = await t.removeReferencesMany([
        ...targets.map((targetKey) => ({
          targetSystem: 'noark',
          targetKey,
          masterSystem: 'matrikkel',
          relation: 'gbnr_class',
        })),
        { targetSystem: 'noark', targetKey: 'sak-0', masterSystem: 'matrikkel', relation: 'gbnr_class' },
        { targetSystem: 'noark', targetKey: 'sak-1', masterKey: 'p1' },
        { targetSystem: 'noark', targetKey: 'sak-nowhere' },
      ]);
      expect(removed).toBe(251);
      expect((await t.dependentsOf('matrikkel', 'u1')).length).toBe(0);
      expect((await t.dependentsOf('matrikkel', 'a1')).length).toBe(250);
      expect((await t.dependentsOf('folkeregister', 'p1')).map((r) => r.targetKey)).not.toContain('sak-1');
      expect((await t.dependentsOf('folkeregister', 'p1')).length).toBe(249);
      expect(await t.removeReferencesMany([])).toBe(0);
    });

    it('finds the dependents of many master entities at once (dependentsOfMany)', async () => {
      const t = nextTenant();
      const keys = Array.from({ length: 450 }, (_, i) => `1806-${i + 1}/1/0/0`);
      await t.addReferences(
        keys.flatMap((masterKey, i) => [
          { masterSystem: 'matrikkel', masterKey, targetSystem: 'noark', targetKey: `sak-${i % 7}` },
          {
            masterSystem: 'matrikkel',
            masterKey,
            targetSystem: 'noark',
            targetKey: `sak-${i % 5}`,
            relation: 'gbnr_class',
            flow: 'F2',
          },
        ]),
      );
      await t.addReferences([
        { masterSystem: 'folkeregister', masterKey: keys[0]!, targetSystem: 'noark', targetKey: 'sak-x' },
      ]);
      // Past one chunk of keys, with duplicates and unknown keys: the same rows as dependentsOf, key by key.
      const asked = [...keys, keys[3]!, '1806-9999/1/0/0'];
      const many = await t.dependentsOfMany('matrikkel', asked);
      const one: unknown[] = [];
      for (const key of [...new Set(asked)].sort()) one.push(...(await t.dependentsOf('matrikkel', key)));
      expect(many).toEqual(one);
      expect(many).toHaveLength(900);
      expect(many.some((r) => r.masterSystem !== 'matrikkel')).toBe(false);
      expect(await t.dependentsOfMany('matrikkel', [])).toEqual([]);
    });

    it('keeps base values per record and field', async () => {
      const t = nextTenant();
      await t.setBase([
        { system: 'noark', recordKey: 'part-1', field: 'name', value: { first: 'Kari', last: 'Nordmann' } },
        { system: 'noark', recordKey: 'part-1', field: 'address', value: null },
        { system: 'noark', recordKey: 'part-2', field: 'name', value: 'Ola' },
        { system: 'noark', recordKey: 'part-2', field: 'name', value: 'Ola Nordmann' },
        { system: 'landbruk', recordKey: 'part-1', field: 'name', value: 3 },
      ]);
      expect(await t.getBase('noark', 'part-1')).toEqual({
        name: { first: 'Kari', last: 'Nordmann' },
        address: null,
      });
      await t.setBase([{ system: 'noark', recordKey: 'part-1', field: 'address', value: ['Storgata 1'] }]);
      const many = await t.getBaseMany('noark', ['part-1', 'part-2', 'part-3']);
      expect([...many.keys()].sort()).toEqual(['part-1', 'part-2']);
      expect(many.get('part-1')).toEqual({
        name: { first: 'Kari', last: 'Nordmann' },
        address: ['Storgata 1'],
      });
      expect(many.get('part-2')).toEqual({ name: 'Ola Nordmann' });
      expect(await t.getBase('landbruk', 'part-1')).toEqual({ name: 3 });
      expect(await t.deleteBase('noark', 'part-1', ['address'])).toBe(1);
      expect(await t.getBase('noark', 'part-1')).toEqual({ name: { first: 'Kari', last: 'Nordmann' } });
      expect(await t.deleteBase('noark', 'part-2')).toBe(1);
      expect(await t.getBase('noark', 'part-2')).toEqual({});
      const keys = Array.from({ length: 450 }, (_, i) => `bulk-${i}`);
      await t.setBase(keys.map((k) => ({ system: 'noark', recordKey: k, field: 'f', value: k })));
      expect((await t.getBaseMany('noark', keys)).size).toBe(450);
    });

    it('records runs', async () => {
      const t = nextTenant();
      const r1 = await t.startRun({ flow: 'F1', mode: 'full' });
      const r2 = await t.startRun({ flow: 'F2', mode: 'dry-run' });
      expect(r1.status).toBe('running');
      const done = await t.finishRun(r1.id, { status: 'ok', counts: { changes: 1000, operations: 12 } });
      expect(done).toMatchObject({ status: 'ok', counts: { changes: 1000, operations: 12 } });
      expect(done?.finishedAt).not.toBeNull();
      expect(await t.finishRun(r1.id, { status: 'failed' })).toBeUndefined();
      expect((await t.listRuns()).map((r) => r.id)).toEqual([r2.id, r1.id]);
      expect((await t.listRuns({ flow: 'F2' })).map((r) => r.mode)).toEqual(['dry-run']);
      expect(await t.getRun(r2.id)).toMatchObject({ status: 'running', finishedAt: null, counts: null });
    });

    it('chains the audit log and verifies it', async () => {
      const t = nextTenant();
      for (let i = 0; i < 5; i++) {
        await t.appendAudit({
          actor: 'flow:F1',
          action: 'outbox.applied',
          entity: `part-${i}`,
          before: { street: 'A', n: i },
          after: { street: 'B', n: i, nested: { z: 1, a: [1, 2] } },
          reason: 'moved',
        });
      }
      const entries = await t.listAudit();
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(entries[0]!.prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(entries[4]!.after).toEqual({ street: 'B', n: 4, nested: { z: 1, a: [1, 2] } });
      expect(await t.verifyAudit()).toEqual({ ok: true, entries: 5, headHash: entries[4]!.hash });
      expect((await t.listAudit({ afterSeq: 3 })).map((e) => e.seq)).toEqual([4, 5]);
    });

    it('detects tampering behind the store’s back', async () => {
      const t = nextTenant();
      for (let i = 0; i < 6; i++)
        await t.appendAudit({ actor: 'user:a', action: 'x', entity: `e${i}`, after: i });
      await harness.raw(`update audit_log set after = '99' where tenant = $1 and seq = 3`, [t.tenant]);
      expect(await t.verifyAudit()).toMatchObject({ ok: false, brokenSeq: 3, problem: 'hash_mismatch' });

      const u = nextTenant();
      for (let i = 0; i < 6; i++) await u.appendAudit({ actor: 'user:a', action: 'x', entity: `e${i}` });
      await harness.raw('delete from audit_log where tenant = $1 and seq = 4', [u.tenant]);
      expect(await u.verifyAudit()).toMatchObject({ ok: false, brokenSeq: 4, problem: 'sequence_gap' });

      const v = nextTenant();
      for (let i = 0; i < 3; i++) await v.appendAudit({ actor: 'user:a', action: 'x', entity: `e${i}` });
      await harness.raw('delete from audit_log where tenant = $1 and seq = 3', [v.tenant]);
      expect(await v.verifyAudit()).toMatchObject({ ok: false, brokenSeq: 3, problem: 'sequence_gap' });
    });

    it('keeps one chain under 50 parallel appends', async () => {
      const t = nextTenant();
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.appendAudit({ actor: `flow:F${i % 3}`, action: 'x', entity: `e${i}` }),
        ),
      );
      expect(new Set(appended.map((e) => e.seq)).size).toBe(50);
      expect(await t.verifyAudit()).toMatchObject({ ok: true, entries: 50 });
    });

    it('gives a lock to one owner at a time until it expires', async () => {
      const t = nextTenant();
      expect(await t.tryLock('flow:F1', 'worker-a', 10_000)).toBe(true);
      expect(await t.tryLock('flow:F1', 'worker-b', 10_000)).toBe(false);
      expect(await t.tryLock('flow:F2', 'worker-b', 10_000)).toBe(true);
      expect(await t.tryLock('flow:F1', 'worker-a', 10_000)).toBe(true);
      expect(await t.renewLock('flow:F1', 'worker-b', 10_000)).toBe(false);
      expect(await t.renewLock('flow:F1', 'worker-a', 10_000)).toBe(true);
      expect((await t.getLock('flow:F1'))?.owner).toBe('worker-a');
      const contenders = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.tryLock('flow:F3', `worker-${i}`, 10_000)),
      );
      expect(contenders.filter(Boolean).length).toBe(1);

      clock.advance(10_001);
      expect(await t.getLock('flow:F1')).toBeUndefined();
      expect(await t.renewLock('flow:F1', 'worker-a', 10_000)).toBe(false);
      expect(await t.tryLock('flow:F1', 'worker-b', 10_000)).toBe(true);
      expect(await t.unlock('flow:F1', 'worker-a')).toBe(false);
      expect(await t.unlock('flow:F1', 'worker-b')).toBe(true);
      expect(await t.tryLock('flow:F1', 'worker-a', 10_000)).toBe(true);
      await expectCode(t.tryLock('x', 'y', 0), 'invalid_input');
    });
  });
}
