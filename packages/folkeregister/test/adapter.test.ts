import {
  type ChangePage,
  collectPages,
  hasErrorCode,
  isRegisterbroError,
  type Person,
  PersonSchema,
} from '@registerbro/model';
import { applyChanges, generateMunicipality, type World, type WorldPerson } from '@registerbro/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createFolkeregisterAdapter, type FolkeregisterAdapter } from '../src/adapter.js';
import { createFolkeregisterClient } from '../src/client.js';
import { createFolkeregisterSimulator, type FolkeregisterSimulator } from '../src/simulator/simulator.js';
import { simAdapter, simTokens, unknownIdentifier } from './support/harness.js';

const open: { sim: FolkeregisterSimulator; adapter: FolkeregisterAdapter }[] = [];

async function start(world?: World, options: Parameters<typeof createFolkeregisterSimulator>[0] = {}) {
  const sim = await createFolkeregisterSimulator({
    world: world ?? generateMunicipality({ seed: 'folkeregister-adapter', people: 120 }),
    ...options,
  });
  const adapter = simAdapter(sim);
  open.push({ sim, adapter });
  return { sim, adapter, world: sim.world };
}

afterEach(async () => {
  for (const { sim, adapter } of open.splice(0)) {
    await adapter.close?.();
    await sim.close();
  }
});

const people = (world: World): WorldPerson[] => [...world.people.values()];

async function readAll(adapter: FolkeregisterAdapter, cursor?: string): Promise<ChangePage<Person>[]> {
  return collectPages(adapter.changes(cursor));
}

describe('adapter against the simulator', () => {
  it('protected people: the simulator delivers their address, the adapter never passes it on', async () => {
    const { sim, adapter, world } = await start();
    const protectedPeople = people(world).filter(
      (p) => p.adressebeskyttelse !== 'ugradert' && p.residentialAddressId,
    );
    expect(protectedPeople.length).toBeGreaterThan(0);
    const sample = protectedPeople[0]!;
    const raw = await fetch(
      `${sim.url}/folkeregisteret/offentlig-med-hjemmel/api/v1/personer/${sample.fnr}`,
      {
        headers: { authorization: `Bearer ${sim.token}` },
      },
    );
    const rawDoc = (await raw.json()) as { bostedsadresse?: unknown[]; adressebeskyttelse?: unknown[] };
    expect(rawDoc.bostedsadresse?.length).toBe(1);
    expect(rawDoc.adressebeskyttelse?.length).toBe(1);

    const result = await adapter.getMany(people(world).map((p) => p.fnr));
    expect(result.missing).toEqual([]);
    expect(result.quarantined).toEqual([]);
    expect(result.entities).toHaveLength(world.people.size);
    const byKey = new Map(result.entities.map((p) => [p.fodselsnummer, p]));
    for (const person of people(world)) {
      const canonical = byKey.get(person.fnr);
      expect(canonical, person.id).toBeDefined();
      if (!canonical) continue;
      expect(PersonSchema.safeParse(canonical).success).toBe(true);
      expect(canonical.familyName).toBe(person.familyName);
      expect(canonical.status).toBe(person.status);
      if (person.adressebeskyttelse === 'ugradert') {
        expect(canonical.adressebeskyttelse).toBe('ugradert');
        if (person.residentialAddressId)
          expect(canonical.residentialAddress?.adresseId).toBe(person.residentialAddressId);
      } else {
        expect(canonical.adressebeskyttelse).not.toBe('ugradert');
        expect(canonical.residentialAddress).toBeUndefined();
        expect(canonical.postalAddress).toBeUndefined();
        expect(canonical.kommunenummer).toBeUndefined();
      }
    }
  });

  it('getMany splits into bulkoppslag calls of at most 1000 identifiers', async () => {
    const { sim, adapter, world } = await start(
      generateMunicipality({ seed: 'folkeregister-many', people: 1500 }),
    );
    sim.server.clearLog();
    const result = await adapter.getMany(people(world).map((p) => p.fnr));
    expect(result.entities).toHaveLength(1500);
    const bulkCalls = sim.requests.filter((r) => r.path.endsWith('/personer/bulkoppslag'));
    expect(bulkCalls).toHaveLength(2);
  });

  it('the feed: initial events, then world changes; a D-nummer replaced by an fnr becomes a rekey', async () => {
    const world = generateMunicipality({ seed: 'folkeregister-rekey', people: 150 });
    const { sim, adapter } = await start(world, { feedPageSize: 50 });
    const head = await adapter.head();
    expect(Number(head)).toBe(sim.lastSeq());
    const initial = await readAll(adapter);
    expect(initial.flatMap((p) => p.changes)).toHaveLength(Number(head));
    expect(initial.at(-1)?.cursor).toBe(head);

    const made = [
      ...applyChanges(world, { count: 5, kinds: ['move', 'rename'] }),
      ...applyChanges(world, { count: 1, kinds: ['dnr_to_fnr'] }),
      ...applyChanges(world, { count: 5, kinds: ['move', 'rename'] }),
    ];
    const rekeyed = made.filter((c) => c.kind === 'dnr_to_fnr');
    expect(rekeyed.length).toBeGreaterThan(0);
    const pages = await readAll(adapter, head);
    const changes = pages.flatMap((p) => p.changes);
    expect(changes).toHaveLength(sim.lastSeq() - Number(head));
    const rekeys = changes.filter((c) => c.kind === 'rekey');
    expect(rekeys.map((c) => (c.kind === 'rekey' ? [c.from, c.to[0]] : []))).toEqual(
      rekeyed.map((c) => [c.before?.fnr, c.after?.fnr]),
    );
    for (const change of rekeys) {
      if (change.kind !== 'rekey') continue;
      expect(change.entities?.[0]?.identifiers.find((i) => i.value === change.from)?.current).toBe(false);
    }
  });

  it('unknown event types are kept and treated as a change of the person; opphør becomes a delete', async () => {
    const { sim, adapter, world } = await start();
    const head = await adapter.head();
    const [a, b] = people(world).filter((p) => p.status === 'bosatt');
    if (!a || !b) throw new Error('fixture');
    sim.addEvent({ fnr: a.fnr, hendelsetype: 'endringIAnnenIdentifikasjon' });
    b.status = 'opphoert';
    b.version++;
    sim.addEvent({ fnr: b.fnr, hendelsetype: 'personErOpphoert' });
    const changes = (await readAll(adapter, head)).flatMap((p) => p.changes);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ kind: 'upsert', key: a.fnr });
    expect(changes[0]?.reason).toMatch(/endringIAnnenIdentifikasjon \(ukjent hendelsestype/);
    expect(changes[1]).toMatchObject({ kind: 'delete', key: b.fnr });
  });

  it('bad records are quarantined, masked, and the feed goes on past them', async () => {
    const { sim, adapter, world } = await start(undefined, { feedPageSize: 10 });
    const head = Number(await adapter.head());
    const [a, b, c] = people(world).filter((p) => p.status === 'bosatt');
    if (!a || !b || !c) throw new Error('fixture');
    const invalidId = `${a.fnr.slice(0, 10)}${(Number(a.fnr[10]) + 1) % 10}`;
    sim.corrupt.personIds.add(b.id);
    const s1 = sim.addEvent({ fnr: a.fnr, hendelsetype: 'endringINavn' });
    const s2 = sim.addEvent({ fnr: b.fnr, hendelsetype: 'endringINavn' });
    const s3 = sim.addEvent({ fnr: invalidId, hendelsetype: 'endringINavn' });
    const s4 = sim.addEvent({ fnr: c.fnr, hendelsetype: 'endringINavn' });
    sim.corrupt.eventSeqs.add(s4);
    const s5 = sim.addEvent({ fnr: unknownIdentifier(world), hendelsetype: 'endringINavn' });
    const s6 = sim.addEvent({ fnr: c.fnr, hendelsetype: 'endringIBostedsadresse' });
    expect([s1, s6]).toEqual([head + 1, head + 6]);

    const pages = await readAll(adapter, String(head));
    const changes = pages.flatMap((p) => p.changes);
    const quarantined = pages.flatMap((p) => p.quarantined);
    expect(changes.map((ch) => ch.eventId)).toEqual([String(s1), String(s6)]);
    // In feed order, whatever went wrong with each.
    expect(quarantined.map((q) => [q.recordType, q.error.code])).toEqual([
      ['person', 'upstream_invalid'], // s2: the person document fails the wire schema
      ['event', 'invalid_identifier'], // s3: Skatteetaten-style invalid identifier
      ['event', 'upstream_invalid'], // s4: the event itself fails the wire schema
      ['event', 'person_not_found'], // s5: nobody has that number
    ]);
    expect(quarantined.map((q) => q.error.record)).toEqual([
      'person ***********',
      `hendelse ${s3} (***********)`,
      `hendelse ${s4} (***********)`,
      `hendelse ${s5} (person ***********)`,
    ]);
    expect(quarantined[0]?.rawKey).toBe(b.fnr);
    expect(s2).toBe(head + 2);
    for (const entry of quarantined) {
      expect(entry.key ?? '').not.toMatch(/\d{11}/);
      expect(entry.error.message).not.toMatch(/\d{11}/);
      expect(entry.error.hint).toBeTruthy();
    }
    expect(pages.at(-1)?.cursor).toBe(String(s6));
    expect(await readAll(adapter, String(s6))).toEqual([]);

    const many = await adapter.getMany([a.fnr, b.fnr]);
    expect(many.entities.map((p) => p.fodselsnummer)).toEqual([a.fnr]);
    expect(many.quarantined).toHaveLength(1);
    expect(many.quarantined[0]).toMatchObject({ key: '***********', rawKey: b.fnr, recordType: 'person' });
  });

  it('honours a pageSize smaller than the register page: every event boundary is a cursor', async () => {
    const { sim, adapter } = await start(undefined, { feedPageSize: 1000 });
    const all = await collectPages(adapter.changes(undefined, { pageSize: 7 }));
    expect(all.length).toBe(Math.ceil(sim.lastSeq() / 7));
    expect(all.every((p) => p.changes.length <= 7)).toBe(true);
    expect(all.at(-1)?.cursor).toBe(String(sim.lastSeq()));
    // Resume from a cut in the middle of the register's page: nothing skipped, nothing twice.
    const middle = all[3];
    if (!middle) throw new Error('fixture');
    const rest = (await readAll(adapter, middle.cursor)).flatMap((p) => p.changes.map((c) => c.eventId));
    expect(rest).toEqual(all.slice(4).flatMap((p) => p.changes.map((c) => c.eventId)));
    expect(sim.requests.filter((r) => r.path.endsWith('/hendelser/feed')).length).toBeLessThan(6);
  });

  it('a caught-up feed is polled with If-None-Match and answered 304', async () => {
    const { sim, adapter } = await start();
    const head = await adapter.head();
    expect(await readAll(adapter, head)).toEqual([]);
    expect(await readAll(adapter, head)).toEqual([]);
    const feedStatuses = sim.requests.filter((r) => r.path.endsWith('/hendelser/feed')).map((r) => r.status);
    expect(feedStatuses).toEqual([200, 304]);
  });

  it('a truncated feed response is retried, and when it stays truncated it is a typed error that moves no cursor; a 200 with an error body is a typed error and moves nothing', async () => {
    const { sim, adapter } = await start(undefined, { feedPageSize: 40 });
    // One body cut off mid-stream: the GET is idempotent, so transport retries it and every event
    // arrives once.
    sim.faults.once({ kind: 'truncate' });
    const retried = await readAll(adapter);
    expect(retried.flatMap((p) => p.changes)).toHaveLength(sim.lastSeq());

    // Cut off every time: a typed transport error; nothing of that page was handed on, so reading
    // again from the same (unmoved) cursor gets every event.
    sim.faults.set({ truncateRate: 1 });
    let cut: unknown;
    const before: ChangePage<Person>[] = [];
    try {
      for await (const page of adapter.changes(undefined)) before.push(page);
    } catch (e) {
      cut = e;
    }
    sim.faults.clear();
    expect(isRegisterbroError(cut)).toBe(true);
    expect(before).toEqual([]);
    const pages = await readAll(adapter);
    expect(pages.flatMap((p) => p.changes)).toHaveLength(sim.lastSeq());

    sim.faults.once({
      kind: 'status',
      status: 200,
      body: JSON.stringify({ kode: 'FREG-001', melding: 'Feil i tjenesten' }),
    });
    let error: unknown;
    try {
      await readAll(adapter, '0');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'upstream_error_body')).toBe(true);
  });

  it.each(['garbage', 'deep', 'billion_laughs', 'huge'] as const)(
    'a hostile %s body on the feed or a bulk lookup is a typed error, never a crash or a hang',
    async (variant) => {
      const { sim, adapter, world } = await start(undefined, { feedPageSize: 30 });
      const reads = [
        () => readAll(adapter),
        () =>
          adapter.getMany(
            people(world)
              .slice(0, 5)
              .map((p) => p.fnr),
          ),
        () => adapter.get(people(world)[0]?.fnr ?? ''),
      ];
      for (const read of reads) {
        sim.faults.once({ kind: 'hostile', variant });
        let error: unknown;
        try {
          await read();
        } catch (e) {
          error = e;
        }
        expect(isRegisterbroError(error)).toBe(true);
        expect((error as { code?: string }).code).toMatch(/^upstream_/);
      }
      // …and the next read, with the fault gone, works.
      expect((await readAll(adapter)).flatMap((p) => p.changes)).toHaveLength(sim.lastSeq());
    },
  );

  it('scan through uttrekk covers everyone; more than 10 running jobs → 429 → RateLimitError', async () => {
    const { sim, adapter, world } = await start(undefined, { uttrekk: { batchSize: 25, notReadyPolls: 2 } });
    const pages = await collectPages(adapter.scan());
    const keys = pages.flatMap((p) => p.entities.map((e) => e.fodselsnummer)).sort();
    expect(keys).toEqual(
      people(world)
        .map((p) => p.fnr)
        .sort(),
    );
    expect(sim.activeJobs()).toBe(0);
    const notReady = sim.requests.filter((r) => r.path.includes('/batch/') && r.status === 404);
    expect(notReady.length).toBe(Math.ceil(world.people.size / 25) * 2);

    const client = createFolkeregisterClient({
      baseURL: sim.url,
      tokenProvider: simTokens(sim),
      http: { retries: 0, shared: false },
    });
    for (let i = 0; i < 10; i++) await client.bestillKomplettUttrekk();
    let error: unknown;
    try {
      await collectPages(adapter.scan());
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(1000);
    client.close();
  });

  it('scanNames: everyone in the extract by name and identifiers only, asked for with part=identifikasjonsnummer&part=navn', async () => {
    const { sim, world } = await start(undefined, { uttrekk: { batchSize: 25, notReadyPolls: 0 } });
    const client = createFolkeregisterClient({
      baseURL: sim.url,
      tokenProvider: simTokens(sim),
      http: { retries: 0, shared: false },
    });
    const parts: (readonly string[] | undefined)[] = [];
    const adapter = createFolkeregisterAdapter({
      client: {
        ...client,
        bulkoppslag: (ids, options) => {
          parts.push(options?.part);
          return client.bulkoppslag(ids, options);
        },
      },
      uttrekkPollIntervalMs: 5,
    });
    const pages = await collectPages(adapter.scanNames());
    const entries = pages.flatMap((p) => p.entities);
    expect(pages.flatMap((p) => p.quarantined)).toEqual([]);
    expect(entries.map((e) => e.fodselsnummer).sort()).toEqual(
      people(world)
        .map((p) => p.fnr)
        .sort(),
    );
    expect(parts.length).toBe(Math.ceil(world.people.size / 25));
    for (const part of parts) expect(part).toEqual(['identifikasjonsnummer', 'navn']);
    const byFnr = new Map(people(world).map((p) => [p.fnr, p]));
    for (const entry of entries) {
      const person = byFnr.get(entry.fodselsnummer);
      expect(entry.givenName).toBe(person?.givenName);
      expect(entry.familyName).toBe(person?.familyName);
      // Nothing but names and identifiers: no address, birth, status or protection of anyone.
      expect(Object.keys(entry).sort()).toEqual(
        [
          'familyName',
          'fodselsnummer',
          'givenName',
          'identifiers',
          ...(entry.middleName ? ['middleName'] : []),
        ].sort(),
      );
    }
    // Protected people are named like everyone else (and nothing more is known of them).
    expect(entries.some((e) => byFnr.get(e.fodselsnummer)?.adressebeskyttelse !== 'ugradert')).toBe(true);
    client.close();
  });

  it('a revoked token: one refresh, then AuthError with the register’s error body', async () => {
    const { sim } = await start();
    const tokens = simTokens(sim);
    const adapter = simAdapter(sim, { tokenProvider: tokens });
    sim.revokeToken(sim.token);
    let error: unknown;
    try {
      await adapter.head();
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'auth_failed')).toBe(true);
    expect((error as { details?: { upstream?: { code?: string } } }).details?.upstream?.code).toBe(
      'FREG-401',
    );
    expect(tokens.invalidated).toBe(1);
    sim.allowToken(sim.token);
    expect(Number(await adapter.head())).toBeGreaterThan(0);
    await adapter.close?.();
  });

  it('the Atom feed carries the same events as the JSON feed', async () => {
    const { sim } = await start();
    const client = createFolkeregisterClient({
      baseURL: sim.url,
      tokenProvider: simTokens(sim),
      http: { shared: false },
    });
    const json = await client.feed(1);
    const atom = await client.feed(1, { format: 'atom' });
    if (json.notModified || atom.notModified) throw new Error('unexpected 304');
    expect(atom.page.events).toEqual(json.page.events);
    expect(atom.page.events.length).toBeGreaterThan(0);
    client.close();
  });

  it('get: the person, null for an unknown number, and the person behind a replaced D-nummer', async () => {
    const world = generateMunicipality({ seed: 'folkeregister-get', people: 150 });
    applyChanges(world, { count: 3, kinds: ['dnr_to_fnr'] });
    const { adapter } = await start(world);
    const replaced = people(world).find((p) => p.identifiers.length > 1);
    if (!replaced) throw new Error('fixture: no replaced D-nummer');
    const old = replaced.identifiers[0]!.value;
    const person = await adapter.get(old);
    expect(person?.fodselsnummer).toBe(replaced.fnr);
    expect(person?.identifiers.map((i) => [i.value, i.kind, i.current])).toEqual([
      [old, 'dnr', false],
      [replaced.fnr, 'fnr', true],
    ]);
    expect(await adapter.get(unknownIdentifier(world))).toBeNull();
  });
});

describe('incomplete bulk answers are never evidence that a person is gone', () => {
  /** Four people who exist, and one number nobody has. */
  async function fixture() {
    const started = await start();
    const [a, b, c, d] = people(started.world).filter((p) => p.status === 'bosatt');
    if (!a || !b || !c || !d) throw new Error('fixture');
    const unknown = unknownIdentifier(started.world);
    started.sim.corrupt.bulkOmitted.add(b.fnr); // left out of the answer
    started.sim.corrupt.bulkUnreadableKey.add(c.fnr); // answered under an unreadable key
    started.sim.corrupt.bulkBlank.add(d.fnr); // an entry with neither person nor feilmelding
    return { ...started, a, b, c, d, unknown };
  }

  const expectMaskedWithHint = (entries: { key?: string; error: { message: string; hint?: string } }[]) => {
    for (const entry of entries) {
      expect(entry.key ?? '').not.toMatch(/\d/);
      expect(entry.error.message).not.toMatch(/\d{11}/);
      expect(entry.error.hint).toBeTruthy();
    }
  };

  it('getMany: only an explicit feilmelding is missing; unanswered identifiers are quarantined', async () => {
    const { adapter, a, b, c, d, unknown } = await fixture();
    const result = await adapter.getMany([a.fnr, b.fnr, c.fnr, d.fnr, unknown]);
    expect(result.entities.map((p) => p.fodselsnummer)).toEqual([a.fnr]);
    expect(result.missing).toEqual([unknown]);
    expect(result.quarantined.map((q) => [q.rawKey, q.recordType, q.error.code])).toEqual([
      [b.fnr, 'person', 'not_answered'],
      [c.fnr, 'person', 'not_answered'],
      [d.fnr, 'person', 'upstream_invalid'],
    ]);
    expect(result.quarantined.every((q) => q.error.retryable)).toBe(true);
    expectMaskedWithHint(result.quarantined);
  });

  it('changes: an opphør event for an unanswered person is quarantined, not a delete', async () => {
    const { sim, adapter, a, b, c, d, unknown } = await fixture();
    const head = await adapter.head();
    const seqB = sim.addEvent({ fnr: b.fnr, hendelsetype: 'personErOpphoert' });
    const seqC = sim.addEvent({ fnr: c.fnr, hendelsetype: 'personErOpphoertSomDublett' });
    const seqD = sim.addEvent({ fnr: d.fnr, hendelsetype: 'personErOpphoert' });
    const seqU = sim.addEvent({ fnr: unknown, hendelsetype: 'personErOpphoert' });
    const seqA = sim.addEvent({ fnr: a.fnr, hendelsetype: 'endringINavn' });
    const pages = await readAll(adapter, head);
    const changes = pages.flatMap((p) => p.changes);
    const quarantined = pages.flatMap((p) => p.quarantined);
    // The register's own "no such person" for the opphør event is the only delete.
    expect(changes.map((ch) => [ch.kind, ch.eventId])).toEqual([
      ['delete', String(seqU)],
      ['upsert', String(seqA)],
    ]);
    expect(changes[0]).toMatchObject({ kind: 'delete', key: unknown });
    expect(quarantined.map((q) => [q.rawKey, q.error.code])).toEqual([
      [b.fnr, 'not_answered'],
      [c.fnr, 'not_answered'],
      [d.fnr, 'upstream_invalid'],
    ]);
    expectMaskedWithHint(quarantined);
    expect(pages.at(-1)?.cursor).toBe(String(seqA));
    expect([seqB, seqC, seqD].every((s) => s > Number(head))).toBe(true);
  });

  it('scan: people the bulk answer leaves out are quarantined, never silently absent', async () => {
    const { sim, adapter, world, b, c, d } = await fixture();
    sim.corrupt.bulkBlank.delete(d.fnr);
    const pages = await collectPages(adapter.scan());
    const found = pages.flatMap((p) => p.entities.map((e) => e.fodselsnummer));
    const held = pages.flatMap((p) => p.quarantined.map((q) => q.rawKey));
    expect(held.sort()).toEqual([b.fnr, c.fnr].sort());
    expect([...found, ...held].sort()).toEqual(
      people(world)
        .map((p) => p.fnr)
        .sort(),
    );
  });
});
