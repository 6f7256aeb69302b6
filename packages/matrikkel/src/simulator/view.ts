/**
 * The Matrikkel view of a testkit World: internal ids for every class, the kommune table (a
 * renumbered kommune keeps its old Kommune object with `nyKommuneId`), and the endringslogg built
 * from `world.changes` with increasing ids. The view reads the live world, so changes applied
 * after the simulator started show up on the next request.
 */
import type { World, WorldChange, WorldProperty } from '@registerbro/testkit';
import type { ArealIForretningXml, EndringXml, ForretningXml } from './objects-xml.js';

/** How the simulator corrupts a unit for bad-input tests. */
export type MatrikkelCorruption =
  /** gardsnummer 0 and bruksnummer -1: a matrikkelnummer that cannot exist. */
  | 'impossible_matrikkelnummer'
  /** The first owner's nummer is not a valid fødselsnummer or orgnr. */
  | 'invalid_owner'
  /** The unit's first vegadresse has a Veg without kommuneId. */
  | 'address_without_kommune'
  /** Any getObjects answer holding the unit is cut off mid-element. */
  | 'malformed_xml'
  /** Any getObjects answer holding the unit declares an external entity (an XXE attempt). */
  | 'hostile_xml'
  /** Any getObjects answer holding the unit carries an entity-expansion bomb (billion laughs). */
  | 'entity_bomb'
  /** Any getObjects holding the unit answers a Server fault (a SystemException). */
  | 'soap_fault';

const PERSON_BASE = 100_000_000_000;
const ORG_BASE = 200_000_000_000;
const VEG_BASE = 300_000_000;
const TEIG_BASE = 400_000_000;
const FORRETNING_BASE = 500_000_000;

/** A kommune as the simulator knows it. */
export interface SimKommune {
  id: string;
  nummer: string;
  navn: string;
  gyldigTil?: string;
  nyKommuneId?: string;
}

/** One endringslogg entry (before XML). */
export interface SimEndring extends EndringXml {
  /** Bubble class, as `findEndringer`'s `domainklasse` names it. */
  domainklasse: string;
}

/** Kommune ids are internal numbers, deliberately not the kommunenummer (FACTS.md). */
export function kommuneIdFor(nummer: string): string {
  return String(3_000_000 + Number(nummer) * 7);
}

/** The PersonId the simulator gives a world person (internal ids are longs, never the fnr). */
export function personMatrikkelId(personId: string): string {
  const n = /^\D*(\d+)$/.exec(personId)?.[1];
  return String(PERSON_BASE + Number(n ?? 0));
}

/** The PersonId of an organisation (a JuridiskPerson). */
export function orgMatrikkelId(orgnr: string): string {
  return String(ORG_BASE + Number(orgnr));
}

/** The VegId of a street in the world's kommune. */
export function vegId(adressekode: number): string {
  return String(VEG_BASE + adressekode);
}

/** The TeigId of a unit's (single) teig. */
export function teigId(propertyId: string): string {
  return String(TEIG_BASE + Number(propertyId));
}

/** Which world entity a PersonId names. */
export function resolvePersonId(
  id: string,
): { kind: 'person'; personKey: string } | { kind: 'organisation'; orgnr: string } | undefined {
  const n = Number(id);
  if (!Number.isFinite(n)) return undefined;
  if (n >= ORG_BASE) return { kind: 'organisation', orgnr: String(n - ORG_BASE).padStart(9, '0') };
  if (n >= PERSON_BASE) return { kind: 'person', personKey: String(n - PERSON_BASE) };
  return undefined;
}

/** The simulator's state derived from the world. */
export class MatrikkelView {
  readonly world: World;
  readonly kommuner = new Map<string, SimKommune>();
  readonly endringer: SimEndring[] = [];
  readonly forretninger = new Map<string, ForretningXml>();
  /** Person internal id suffix → world person id. */
  readonly personByNumber = new Map<string, string>();
  private processed = 0;
  private nextEndringId = 1;
  private nextForretning = 1;

  constructor(world: World) {
    this.world = world;
    this.addKommune(world.kommunenummer, world.kommunenavn);
    for (const id of world.people.keys()) this.personByNumber.set(/^\D*(\d+)$/.exec(id)?.[1] ?? id, id);
  }

  private addKommune(nummer: string, navn: string): SimKommune {
    const id = kommuneIdFor(nummer);
    let k = this.kommuner.get(id);
    if (!k) {
      k = { id, nummer, navn };
      this.kommuner.set(id, k);
    }
    return k;
  }

  kommuneByNummer(nummer: string): SimKommune | undefined {
    return this.kommuner.get(kommuneIdFor(nummer));
  }

  /** The id of a unit's current kommune (adding it when a unit names a kommune we have not seen). */
  kommuneIdOf(property: WorldProperty): string {
    return this.addKommune(property.kommunenummer, this.world.kommunenavn).id;
  }

  /** Bring the endringslogg up to date with `world.changes`. */
  sync(): void {
    const changes = this.world.changes;
    while (this.processed < changes.length) {
      const change = changes[this.processed++];
      if (change) this.appendChange(change);
    }
  }

  private push(
    change: WorldChange,
    endringstype: SimEndring['endringstype'],
    bubbleId: string,
    bubbleXsiType: string,
    domainklasse: string,
    kommuneIds: string[],
  ): void {
    this.endringer.push({
      id: String(this.nextEndringId++),
      endringstype,
      bubbleId,
      bubbleXsiType,
      domainklasse,
      at: change.at,
      kommuneIds,
    });
  }

  private unitEntry(change: WorldChange, propertyId: string, type: SimEndring['endringstype']): void {
    const p = this.world.properties.get(propertyId);
    if (!p) return;
    this.push(change, type, p.id, 'm:MatrikkelenhetId', 'Matrikkelenhet', [this.kommuneIdOf(p)]);
  }

  private forretning(
    change: WorldChange,
    xsiType: string,
    areal: ArealIForretningXml[],
    kommuneIds: string[],
  ): void {
    const id = String(FORRETNING_BASE + this.nextForretning++);
    this.forretninger.set(id, {
      id,
      idType: 'f:ForretningId',
      updatedAt: change.at,
      version: 1,
      xsiType,
      date: change.at.slice(0, 10),
      areal,
    });
    this.push(change, 'Nyoppretting', id, 'f:ForretningId', 'Forretning', kommuneIds);
  }

  private appendChange(change: WorldChange): void {
    const kommune = [kommuneIdFor(this.world.kommunenummer)];
    switch (change.kind) {
      case 'ownership':
        for (const id of change.propertyIds ?? []) this.unitEntry(change, id, 'Oppdatering');
        return;
      case 'split':
      case 'merge': {
        const ids = change.propertyIds ?? [];
        const old = change.kind === 'split' ? ids.slice(0, 1) : ids.slice(0, 2);
        const created = change.kind === 'split' ? ids.slice(1) : ids.slice(2);
        const areal: ArealIForretningXml[] = [
          ...old.map((id) => ({
            matrikkelenhetId: id,
            arealendring: -(this.world.properties.get(id)?.area ?? 0),
          })),
          ...created.map((id) => ({
            matrikkelenhetId: id,
            arealendring: this.world.properties.get(id)?.area ?? 0,
          })),
        ];
        const kommuner = [...new Set(ids.map((id) => this.kommuneIdFor(id)))];
        this.forretning(
          change,
          change.kind === 'split' ? 'FradelingForretning' : 'SammenslaingForretning',
          areal,
          kommuner.length ? kommuner : kommune,
        );
        for (const id of old) this.unitEntry(change, id, 'Oppdatering');
        for (const id of created) this.unitEntry(change, id, 'Nyoppretting');
        return;
      }
      case 'renumber': {
        const from = change.before?.kommunenummer;
        const to = change.after?.kommunenummer ?? this.world.kommunenummer;
        if (!from) return;
        const oldKommune = this.addKommune(from, this.world.kommunenavn);
        const newKommune = this.addKommune(to, this.world.kommunenavn);
        oldKommune.gyldigTil = change.at.slice(0, 10);
        oldKommune.nyKommuneId = newKommune.id;
        const ids =
          change.propertyIds && change.propertyIds.length > 0
            ? change.propertyIds
            : [...this.world.properties.values()].filter((p) => p.kommunenummer === to).map((p) => p.id);
        const areal: ArealIForretningXml[] = [];
        for (const id of ids) {
          const p = this.world.properties.get(id);
          if (!p) continue;
          const nr = { g: p.gardsnummer, b: p.bruksnummer, f: p.festenummer, s: p.seksjonsnummer };
          areal.push({
            matrikkelenhetId: id,
            omnummerertFra: { kommuneId: oldKommune.id, ...nr },
            omnummerertTil: { kommuneId: newKommune.id, ...nr },
          });
        }
        this.forretning(change, 'OmnummereringKommuneendringForretning', areal, [
          oldKommune.id,
          newKommune.id,
        ]);
        for (const id of ids) this.unitEntry(change, id, 'Oppdatering');
        return;
      }
      case 'address_rename': {
        const kode = change.after?.adressekode ?? change.before?.adressekode;
        if (kode !== undefined) this.push(change, 'Oppdatering', vegId(kode), 'a:VegId', 'Veg', kommune);
        for (const id of change.addressIds ?? []) {
          this.push(change, 'Oppdatering', id, 'a:AdresseId', 'Vegadresse', kommune);
        }
        return;
      }
      case 'rename':
      case 'dnr_to_fnr':
      case 'death': {
        // Matrikkelen only holds people who own or are contacts for something.
        const pid = change.personId;
        if (!pid || (this.world.index.propertiesByPerson.get(pid)?.size ?? 0) === 0) return;
        this.push(change, 'Oppdatering', personMatrikkelId(pid), 'p:PersonId', 'FysiskPerson', kommune);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Delete a unit outright (the world has no such change kind): it leaves the world and the log
   * gets a Sletting entry. getObjects for it then answers ObjectsNotFoundFaultInfo.
   */
  deleteUnit(propertyId: string, at: string): boolean {
    this.sync();
    const p = this.world.properties.get(propertyId);
    if (!p) return false;
    const kommuneId = this.kommuneIdOf(p);
    this.world.properties.delete(propertyId);
    this.endringer.push({
      id: String(this.nextEndringId++),
      endringstype: 'Sletting',
      bubbleId: propertyId,
      bubbleXsiType: 'm:MatrikkelenhetId',
      domainklasse: 'Matrikkelenhet',
      at,
      kommuneIds: [kommuneId],
    });
    return true;
  }

  private kommuneIdFor(propertyId: string): string {
    const p = this.world.properties.get(propertyId);
    return p ? this.kommuneIdOf(p) : kommuneIdFor(this.world.kommunenummer);
  }
}
