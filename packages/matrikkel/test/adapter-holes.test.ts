/**
 * Review findings 5 and 9: nothing the register answers in an unusable form is dropped silently
 * (the unit, forretning, adresse or endring is quarantined under its own key), and the contract's
 * promise and ownership rules.
 */
import { collectPages, hasErrorCode } from '@registerbro/model';
import { applyChanges } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createMatrikkelAdapter, createMatrikkelClient } from '../src/index.js';
import { startPair } from './harness.js';

type Pair = Awaited<ReturnType<typeof startPair>>;
let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

/** A unit with a person owner, an address and a building, and the PersonId of its first owner. */
async function richUnit(p: Pair) {
  const unit = [...p.sim.world.properties.values()].find(
    (u) =>
      u.status === 'levende' &&
      u.owners.length === 1 &&
      u.owners[0]?.kind === 'person' &&
      u.addressIds.length > 0 &&
      u.buildingIds.length > 0,
  );
  if (!unit) throw new Error('the test world has no unit with a person owner, an address and a building');
  const [raw] = await p.adapter.client.getObjects([{ type: 'MatrikkelenhetId', value: unit.id }]);
  const eierforhold = raw?.eierforhold as { item?: { eierId?: { value?: string } }[] } | undefined;
  const personId = eierforhold?.item?.[0]?.eierId?.value;
  if (!personId) throw new Error(`unit ${unit.key} has no PersonId on its first eierforhold`);
  return { unit, personId };
}

describe('finding 5: a unit whose owner, address or building cannot be read is quarantined, not upserted with a hole', () => {
  it.each([
    ['owner', 'PersonId', /owner \(PersonId/],
    ['address', 'AdresseId', /adresse \d+ of matrikkelenhet/],
    ['building', 'ByggId', /bygg \d+ of matrikkelenhet/],
  ] as const)('its %s fails the wire schema', async (_what, type, message) => {
    pair = await startPair();
    const { unit, personId } = await richUnit(pair);
    const id =
      type === 'PersonId'
        ? personId
        : type === 'AdresseId'
          ? (unit.addressIds[0] ?? '')
          : (unit.buildingIds[0] ?? '');
    const before = await pair.adapter.getMany([unit.key]);
    expect(before.entities).toHaveLength(1);
    pair.sim.breakObject(type, id);
    const result = await pair.adapter.getMany([unit.key]);
    expect(result.entities).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.quarantined).toHaveLength(1);
    const q = result.quarantined[0];
    expect(q?.key).toBe(unit.key);
    expect(q?.recordType).toBe('matrikkelenhet');
    expect(q?.error.code).toBe('upstream_invalid');
    expect(q?.error.message).toMatch(message);
    expect(q?.error.message).toMatch(/does not match the expected shape|unexpected class/);
    // The owner's fnr (in the broken Person's excerpt) never reaches the error.
    const fnr = pair.sim.world.people.get(unit.owners[0]?.personId ?? '')?.fnr;
    expect(fnr).toMatch(/^\d{11}$/);
    expect(JSON.stringify(q?.error, Object.getOwnPropertyNames(q?.error))).not.toContain(fnr);
    expect(JSON.stringify((q?.error.cause as { excerpt?: string } | undefined)?.excerpt ?? '')).not.toContain(
      fnr,
    );
    // Healed, the unit reads again.
    pair.sim.breakObject(type, id, false);
    expect((await pair.adapter.getMany([unit.key])).entities).toHaveLength(1);
  });

  it('quarantines a forretning it cannot read under forretning:<id> instead of losing the split', async () => {
    pair = await startPair();
    const { sim, adapter } = pair;
    const head = await adapter.head();
    const made = applyChanges(sim.world, { seed: 'broken-forretning', count: 1, kinds: ['split'] });
    expect(made.map((c) => c.kind)).toEqual(['split']);
    sim.breakObject('ForretningId', '*');
    const pages = await collectPages(adapter.changes(head, { pageSize: 50 }));
    const quarantined = pages.flatMap((p) => p.quarantined);
    const forretninger = quarantined.filter((q) => q.recordType === 'forretning');
    expect(forretninger).toHaveLength(1);
    expect(forretninger[0]?.key).toMatch(/^forretning:\d+$/);
    expect(forretninger[0]?.error.message).toMatch(/does not match the expected shape/);
    expect(forretninger[0]?.error).toMatchObject({ code: 'upstream_invalid', system: 'matrikkel' });
    expect((forretninger[0]?.error as { excerpt?: string } | undefined)?.excerpt).toMatch(/ForretningId/);
    expect(pages.flatMap((p) => p.changes).filter((c) => c.kind === 'rekey')).toEqual([]);
  });

  it('quarantines changed addresses it cannot read under adresse:<id>, one record each', async () => {
    pair = await startPair();
    const { sim, adapter } = pair;
    const head = await adapter.head();
    applyChanges(sim.world, { seed: 'broken-adresse', count: 1, kinds: ['address_rename'] });
    sim.breakObject('AdresseId', '*');
    const quarantined = (await collectPages(adapter.changes(head, { pageSize: 500 }))).flatMap(
      (p) => p.quarantined,
    );
    const adresser = quarantined.filter((q) => q.recordType === 'adresse');
    expect(adresser.length).toBeGreaterThan(0);
    for (const q of adresser) {
      expect(q.key).toMatch(/^adresse:\d+$/);
      expect(q.error.code).toBe('upstream_invalid');
      expect(q.error.message).toMatch(/does not match the expected shape/);
    }
    expect(new Set(adresser.map((q) => q.key)).size).toBe(adresser.length);
  });

  it('quarantines a bad endringslogg entry under endring:<id> with an excerpt', async () => {
    pair = await startPair();
    const { sim, adapter } = pair;
    const head = await adapter.head();
    applyChanges(sim.world, { seed: 'broken-endring', count: 3, kinds: ['ownership'] });
    sim.corruptNextEndring();
    const quarantined = (await collectPages(adapter.changes(head, { pageSize: 500 }))).flatMap(
      (p) => p.quarantined,
    );
    const endringer = quarantined.filter((q) => q.recordType === 'endring');
    expect(endringer).toHaveLength(1);
    expect(endringer[0]?.key).toBe(`endring:${BigInt(head) + 1n}`);
    expect(endringer[0]?.error.message).toMatch(/endringslogg entry \d+ does not match/);
    expect((endringer[0]?.error as { excerpt?: string } | undefined)?.excerpt).toMatch(/Ugyldig/);
  });
});

describe('finding 9: the contract: promises and ownership', () => {
  it('apply answers a rejected promise, never a synchronous throw', async () => {
    pair = await startPair();
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = pair?.adapter.apply({ type: 'x', target: 'y' }, { idempotencyKey: 'k' });
    }).not.toThrow();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toSatisfy((e) => hasErrorCode(e, 'unsupported'));
  });

  it('close() leaves an injected client open and closes a client it created', async () => {
    pair = await startPair();
    const client = createMatrikkelClient({
      baseURL: pair.sim.url,
      username: pair.sim.username,
      password: pair.sim.password,
      http: { circuitBreaker: false, shared: false, retries: 0 },
    });
    let closed = 0;
    const close = client.close.bind(client);
    client.close = () => {
      closed++;
      close();
    };
    const injected = createMatrikkelAdapter({ kommunenummer: '1806', client });
    expect(await injected.head()).toMatch(/^\d+$/);
    await injected.close?.();
    expect(closed).toBe(0);
    expect(await client.findSisteEndringId()).toMatch(/^\d+$/);
    client.close();
    expect(closed).toBe(1);

    const own = createMatrikkelAdapter({
      kommunenummer: '1806',
      baseURL: pair.sim.url,
      username: pair.sim.username,
      password: pair.sim.password,
    });
    let ownClosed = 0;
    const ownClose = own.client.close.bind(own.client);
    own.client.close = () => {
      ownClosed++;
      ownClose();
    };
    await own.close?.();
    expect(ownClosed).toBe(1);
  });
});
