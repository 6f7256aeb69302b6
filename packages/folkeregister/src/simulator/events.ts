import type { ChangeKind, World, WorldChange } from '@registerbro/testkit';

/** One event in the simulated feed. */
export interface SimEvent {
  /** Sequence number, 1, 2, … */
  seq: number;
  /** The identifier the event names (the person's at the time it was logged). */
  fnr: string;
  hendelsetype: string;
  /** ISO timestamp (ajourholdstidspunkt). */
  at: string;
  /** The world person it concerns, when known. */
  personId?: string;
}

/** Which feed event a world change becomes (person changes only; property and case changes have none). */
export const HENDELSESTYPE_BY_CHANGE: Partial<Record<ChangeKind, string>> = {
  move: 'endringIBostedsadresse',
  death: 'personErDoed',
  rename: 'endringINavn',
  emigration: 'personErUtflyttet',
  dnr_to_fnr: 'endringIIdentifikasjonsnummer',
  protect: 'endringIAdressebeskyttelse',
  birth: 'personErOpprettet',
  address_rename: 'endringIBostedsadresseUtenFlytting',
};

/**
 * The simulator's event log, derived from the world: optionally a `personErOpprettet` for every
 * person of the generated population (as the real feed begins with the register's whole
 * population), then one event per person change in `world.changes` — those logged before the
 * simulator started and, lazily, those after.
 */
export class EventLog {
  readonly events: SimEvent[] = [];
  private processed = 0;

  constructor(
    private readonly world: World,
    initialEvents: boolean,
  ) {
    if (initialEvents) {
      // People born through a change get their personErOpprettet from that change instead.
      const born = new Set(world.changes.filter((c) => c.kind === 'birth').map((c) => c.personId));
      for (const person of world.people.values()) {
        if (born.has(person.id)) continue;
        this.push({
          fnr: person.fnr,
          hendelsetype: 'personErOpprettet',
          at: world.epoch,
          personId: person.id,
        });
      }
    }
    // Changes logged before the simulator started follow, so the feed is the world's whole history.
    this.sync();
  }

  /** Take in changes the world recorded since the last call; returns how many events were added. */
  sync(): number {
    const before = this.events.length;
    const changes = this.world.changes;
    while (this.processed < changes.length) {
      const change = changes[this.processed++] as WorldChange;
      this.fromChange(change);
    }
    return this.events.length - before;
  }

  /** Append an event (tests: unknown types, opphør, korrigering). */
  push(event: Omit<SimEvent, 'seq'>): SimEvent {
    const full = { ...event, seq: this.events.length + 1 };
    this.events.push(full);
    return full;
  }

  get lastSeq(): number {
    return this.events.length;
  }

  /** Events with `seq` ≥ `from`, at most `limit`. */
  slice(from: number, limit: number): SimEvent[] {
    const start = Math.max(0, from - 1);
    return this.events.slice(start, start + limit);
  }

  private fromChange(change: WorldChange): void {
    const type = HENDELSESTYPE_BY_CHANGE[change.kind];
    if (!type) return;
    if (change.kind === 'address_rename') {
      const seen = new Set<string>();
      for (const addressId of change.addressIds ?? []) {
        for (const personId of this.world.index.residentsByAddress.get(addressId) ?? []) {
          if (seen.has(personId)) continue;
          seen.add(personId);
          const person = this.world.people.get(personId);
          if (person) this.push({ fnr: person.fnr, hendelsetype: type, at: change.at, personId });
        }
      }
      return;
    }
    if (!change.personId) return;
    const person = this.world.people.get(change.personId);
    const fnr = change.kind === 'dnr_to_fnr' ? (change.after?.fnr ?? person?.fnr) : person?.fnr;
    if (!fnr) return;
    this.push({ fnr, hendelsetype: type, at: change.at, personId: change.personId });
  }
}
