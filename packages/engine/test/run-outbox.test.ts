import {
  RateLimitError,
  RegisterbroError,
  quarantine,
  UpstreamInvalidError,
  type Address,
} from '@registerbro/model';
import { generateMunicipality } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type ArchiveOperationOf, type Store, createSqliteStore } from '../src/index.js';
import { createEngine } from '../src/run/index.js';
import { createWorldArchive, createWorldFolkeregister } from './run-world.js';

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()?.close();
});

async function setup(seed: string) {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const world = generateMunicipality({ seed, people: 300 });
  const store = await createSqliteStore({ file: ':memory:', clock });
  stores.push(store);
  const tenant = store.forTenant('1806');
  const folkeregister = createWorldFolkeregister(world);
  const archive = createWorldArchive(world);
  const apply = archive.apply.bind(archive);
  const engine = createEngine({
    store: tenant,
    sources: { folkeregister },
    archive,
    owner: 'test-worker',
    clock,
    retry: { baseMs: 10_000, maxMs: 60_000, maxAttempts: 3 },
  });
  return { world, tenant, archive, engine, apply, folkeregister, advance: (ms: number) => (offset += ms) };
}

describe('engine runner — the outbox applier', () => {
  it('opens a conflict when the target changed between plan and apply (compare-and-set fails)', async () => {
    const { tenant, archive, engine, apply } = await setup('outbox-cas');
    let edited: ArchiveOperationOf<'party.update'> | undefined;
    archive.apply = async (op, o) => {
      if (
        edited === undefined &&
        op.type === 'party.update' &&
        op.set.address &&
        Object.keys(op.set).length === 1 &&
        op.location.partySystemId
      ) {
        edited = op;
        // An archive user edits the party while the engine is about to write.
        archive.edit(op.location.containerId, op.location.partySystemId, {
          address: { kind: 'fritekst', adresselinjer: ['Samtidig endret 1'], postnummer: '8514' } as Address,
        });
      }
      return apply(op, o);
    };
    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.status).toBe('ok');
    expect(edited).toBeDefined();
    expect(report.counts.operationsConflicted).toBe(1);
    const [item] = await tenant.listOutbox({ status: 'conflicted' });
    expect(item!.idempotencyKey).toBe(edited!.idempotencyKey);
    const conflict = (await tenant.listConflicts({ status: 'open' })).find((c) =>
      c.entityKey.startsWith(edited!.target),
    );
    expect(conflict).toMatchObject({ rule: 'apply_conflict', flow: 'F1' });
    expect(archive.writes.some((w) => w.key === edited!.idempotencyKey)).toBe(false);
    const party = archive.cases
      .get(edited!.location.containerId)!
      .parties.find((p) => p.systemId === edited!.location.partySystemId)!;
    expect(party.address?.adresselinjer).toEqual(['Samtidig endret 1']);

    // The admin takes Folkeregisteret's address after all: written once, under a key of its own.
    expect(conflict!.entityKey).toBe(`${edited!.target}@address`);
    const resolved = await engine.resolveConflict(conflict!.id, 'take_master', 'user:admin');
    expect(resolved.drained?.applied).toBe(1);
    expect(resolved.operationKey).not.toBe(edited!.idempotencyKey);
    expect(party.address).toEqual(edited!.set.address);
    // The next full run neither writes nor reopens anything for that party.
    const writes = archive.writes.length;
    await engine.runFlow('F1', { mode: 'full' });
    expect(archive.writes.length).toBe(writes);
    expect(
      (await tenant.listConflicts({ status: 'open' })).filter((c) => c.entityKey.startsWith(edited!.target)),
    ).toEqual([]);
  });

  it('retries a retryable failure with backoff, and only when it is due', async () => {
    const { tenant, archive, engine, apply, advance } = await setup('outbox-retry');
    let failures = 0;
    archive.apply = async (op, o) => {
      if (failures < 2) {
        failures++;
        throw new RateLimitError('noark: 429 Too Many Requests', { system: 'noark', retryAfterMs: 30_000 });
      }
      return apply(op, o);
    };
    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.counts.operationsRetried).toBe(2);
    const waiting = (await tenant.listOutbox({ status: 'pending' })).filter((i) => i.attempts > 0);
    expect(waiting).toHaveLength(2);
    for (const item of waiting) expect(Date.parse(item.availableAt)).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet: nothing happens.
    expect(await engine.drainOutbox()).toMatchObject({ applied: 0, retried: 0 });
    advance(31_000);
    expect(await engine.drainOutbox()).toMatchObject({ applied: 2, retried: 0 });
    expect(await tenant.listOutbox({ status: 'pending' })).toHaveLength(0);
  });

  it('fails for good and quarantines a non-retryable error; the rest of the outbox proceeds', async () => {
    const { tenant, archive, engine, apply } = await setup('outbox-terminal');
    let bad: string | undefined;
    archive.apply = async (op, o) => {
      if (bad === undefined || bad === o.idempotencyKey) {
        bad = o.idempotencyKey;
        throw new RegisterbroError('http_error', 'noark: 400 Bad Request (ugyldig partRolle)', {
          system: 'noark',
        });
      }
      return apply(op, o);
    };
    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.counts.operationsFailed).toBe(1);
    expect(report.counts.operationsApplied).toBe(report.counts.operationsEnqueued! - 1);
    const [failed] = await tenant.listOutbox({ status: 'failed' });
    expect(failed!.idempotencyKey).toBe(bad);
    const q = await tenant.listQuarantine({ source: 'noark' });
    expect(q).toHaveLength(1);
    expect(q[0]!.reason).toContain('400');
  });

  it('quarantines bad records from the source and carries on', async () => {
    const { tenant, folkeregister, engine, archive } = await setup('outbox-quarantine');
    const getMany = folkeregister.getMany.bind(folkeregister);
    folkeregister.getMany = async (keys, o) => {
      const result = await getMany(keys.slice(1), o);
      const error = new UpstreamInvalidError('folkeregister: person does not match the wire schema', {
        system: 'folkeregister',
      });
      return {
        ...result,
        quarantined: [
          ...result.quarantined,
          quarantine('person', error, { key: '***********', rawKey: keys[0]! }),
        ],
      };
    };
    const report = await engine.runFlow('F1', { mode: 'full' });
    expect(report.status).toBe('ok');
    expect(report.counts.quarantined).toBeGreaterThan(0);
    expect(archive.writes.length).toBeGreaterThan(0);
    const q = await tenant.listQuarantine({ source: 'folkeregister' });
    expect(q.length).toBe(report.counts.quarantined);
    expect(q[0]!.errorCode).toBe('upstream_invalid');
  });
});
