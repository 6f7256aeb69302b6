import { randomUUID } from 'node:crypto';
import type { World, WorldCase, WorldCaseClass, WorldParty, WorldRecord } from '@registerbro/testkit';
import { mappetypeOf } from '../mappers/to-case.js';
import { datetimeInstant } from '../odata/filter.js';
import {
  REL,
  type TgAdresseWire,
  type TgEksternIdWire,
  type TgJournalpostWire,
  type TgKlasseWire,
  type TgKorrespondansepartWire,
  type TgPartWire,
  type TgSaksmappeWire,
} from '../wire/tg.js';

/**
 * The simulated archive's state: the world's cases ARE the archive (the simulator writes into
 * them, so the sandbox's other simulators and the tests see one truth), plus what the world does
 * not model (external keys, screening, party status, exact postal addresses) in side tables.
 */

/** One mutation in the simulator's write log. */
export interface NoarkWriteLogEntry {
  /** ISO timestamp of the write. */
  at: string;
  kind:
    | 'create_case'
    | 'update_case'
    | 'create_record'
    | 'update_record'
    | 'add_party'
    | 'update_party'
    | 'remove_party'
    | 'update_class'
    | 'add_class'
    | 'remove_class';
  /** The case the write touched (systemID). */
  caseSystemId: string;
  /** The record written (party, class or journalpost systemID) when not the case itself. */
  targetSystemId?: string;
  /** `X-Idempotency-Key` sent with the request, when any. */
  idempotencyKey?: string;
  /** The external key the created record carries, when any. */
  externalKey?: string;
  /** `tg` (REST) or `fiks` (Fiks Arkiv message). */
  via: 'tg' | 'fiks';
}

/** How the simulator breaks a saksmappe for bad-input tests (see {@link ArchiveStore.corruptCases}). */
export type NoarkCaseCorruption =
  /** `tittel` missing and `saksaar` as text: the record fails the TG schema. */
  | 'schema'
  /** The first person party's fødselsnummer fails its control digits. */
  | 'invalid_party_identifier'
  /** `saksstatus` is not a {kode} object but a bare string. */
  | 'saksstatus_text';

/** A copy of a saksmappe with one field broken the way `kind` says. */
function corrupted(wire: TgSaksmappeWire, kind: NoarkCaseCorruption): TgSaksmappeWire {
  const out = { ...wire } as Record<string, unknown>;
  if (kind === 'schema') {
    delete out.tittel;
    out.saksaar = 'tjuetjueseks';
  } else if (kind === 'saksstatus_text') {
    out.saksstatus = 'Under behandling';
  } else {
    const parts = (wire.part ?? []).map((p) => ({ ...p }));
    const person = parts.find((p) => p.personidentifikator?.[0]?.foedselsnummer);
    const fnr = person?.personidentifikator?.[0]?.foedselsnummer;
    if (person && fnr) {
      // The last digit moved by one: eleven digits that fail mod-11 (a typo in the archive).
      const last = (Number(fnr.slice(-1)) + 1) % 10;
      person.personidentifikator = [{ foedselsnummer: `${fnr.slice(0, 10)}${last}` }];
    }
    out.part = parts;
  }
  return out as unknown as TgSaksmappeWire;
}

interface CaseExtra {
  eksternID?: TgEksternIdWire[];
  mappetype?: string;
  skjermet?: boolean;
}

interface RecordExtra {
  eksternID?: TgEksternIdWire[];
}

interface PartyExtra {
  postadresse?: TgAdresseWire | null;
  personstatus?: string;
}

/** A filter/sort view of a case, cached by version. */
export interface CaseView {
  systemID: string;
  saksaar: number;
  sakssekvensnummer: number;
  tittel: string;
  saksstatus: string;
  mappetype: string;
  oppdatertDato: string;
  oppdatertMs: number;
  /** The exact instant of `oppdatertDato` (ns): sub-millisecond and offset timestamps sort right. */
  oppdatertNs: bigint;
  opprettetDato: string;
  avsluttetDato?: string;
  eksternID: TgEksternIdWire[];
  klasse: { klasseID: string; klassifikasjonssystem: { kode: string } }[];
}

/** The simulated archive: the world's cases plus the side tables, with wire builders and mutations. */
export class ArchiveStore {
  readonly world: World;
  readonly writeLog: NoarkWriteLogEntry[] = [];
  private readonly caseExtra = new Map<string, CaseExtra>();
  private readonly recordExtra = new Map<string, RecordExtra>();
  private readonly partyExtra = new Map<string, PartyExtra>();
  private readonly classToCase = new Map<string, string>();
  private readonly views = new Map<string, { version: number; view: CaseView }>();
  private lastTs = 0;
  /** Bumped on every simulator write; with the world's change count it keys the sort caches. */
  mutations = 0;
  /** One-shot: the next saksmappe list page carries one record that fails the wire schema. */
  corruptNextList = false;
  /** Cases served broken on every read until healed (bad-input tests), by systemID. */
  readonly corruptCases = new Map<string, NoarkCaseCorruption>();

  constructor(world: World) {
    this.world = world;
    for (const kase of world.cases.values()) this.indexCase(kase);
  }

  private indexCase(kase: WorldCase): void {
    for (const c of kase.classes) this.classToCase.set(c.systemId, kase.systemId);
    // Social-services cases are screened (offentleglova § 13 with forvaltningsloven § 13).
    if (kase.caseType === 'sosial') this.extra(kase.systemId).skjermet = true;
  }

  private extra(caseId: string): CaseExtra {
    let e = this.caseExtra.get(caseId);
    if (!e) {
      e = {};
      this.caseExtra.set(caseId, e);
    }
    return e;
  }

  /** A strictly increasing timestamp at or after the world's latest change. */
  now(): string {
    const ms = Math.max(Date.now(), Date.parse(this.world.now), this.lastTs + 1);
    this.lastTs = ms;
    const iso = new Date(ms).toISOString();
    if (iso > this.world.now) this.world.now = iso;
    return iso;
  }

  /** A new systemID (a UUID, as Fiks Arkiv's schema requires). */
  newId(): string {
    return randomUUID();
  }

  /** The generation that keys cached sorts: any write here or any world change invalidates them. */
  generation(): string {
    return `${this.mutations}:${this.world.changes.length}:${this.world.cases.size}`;
  }

  touch(kase: WorldCase, at: string): void {
    kase.version += 1;
    kase.updatedAt = at;
    this.mutations += 1;
  }

  log(entry: Omit<NoarkWriteLogEntry, 'at'> & { at?: string }): void {
    this.writeLog.push({ at: entry.at ?? new Date(this.lastTs || Date.now()).toISOString(), ...entry });
  }

  getCase(id: string): WorldCase | undefined {
    return this.world.cases.get(id);
  }

  caseOfParty(partyId: string): WorldCase | undefined {
    const id = this.world.index.caseByParty.get(partyId);
    return id ? this.world.cases.get(id) : undefined;
  }

  caseOfClass(classId: string): WorldCase | undefined {
    const id = this.classToCase.get(classId);
    if (id) return this.world.cases.get(id);
    // A class added to the world after the simulator started (applyChanges, a test): find and index it.
    for (const kase of this.world.cases.values()) {
      if (kase.classes.some((c) => c.systemId === classId)) {
        this.classToCase.set(classId, kase.systemId);
        return kase;
      }
    }
    return undefined;
  }

  /** Remove a class from its case (the case's primary class passes to the next one). */
  removeClass(kase: WorldCase, classId: string): void {
    kase.classes = kase.classes.filter((c) => c.systemId !== classId);
    this.classToCase.delete(classId);
  }

  caseOfRecord(recordId: string): WorldCase | undefined {
    const id = this.world.index.caseByRecord.get(recordId);
    return id ? this.world.cases.get(id) : undefined;
  }

  findByExternalKey(key: string, fagsystem?: string): WorldCase | undefined {
    for (const [id, e] of this.caseExtra) {
      if (
        e.eksternID?.some((x) => x.eksternID === key && (fagsystem === undefined || x.system === fagsystem))
      ) {
        return this.world.cases.get(id);
      }
    }
    return undefined;
  }

  findRecordByExternalKey(key: string): { kase: WorldCase; record: WorldRecord } | undefined {
    for (const [id, e] of this.recordExtra) {
      if (e.eksternID?.some((x) => x.eksternID === key)) {
        const kase = this.caseOfRecord(id);
        const record = kase?.records.find((r) => r.systemId === id);
        if (kase && record) return { kase, record };
      }
    }
    return undefined;
  }

  isScreened(kase: WorldCase): boolean {
    return this.caseExtra.get(kase.systemId)?.skjermet === true;
  }

  caseType(kase: WorldCase): string {
    return this.caseExtra.get(kase.systemId)?.mappetype ?? mappetypeOf(kase.caseType);
  }

  view(kase: WorldCase): CaseView {
    const cached = this.views.get(kase.systemId);
    if (cached && cached.version === kase.version && cached.view.oppdatertDato === kase.updatedAt)
      return cached.view;
    const [aar, seq] = kase.saksnummer.split('/');
    const view: CaseView = {
      systemID: kase.systemId,
      saksaar: Number(aar),
      sakssekvensnummer: Number(seq),
      tittel: kase.title,
      saksstatus: kase.status,
      mappetype: this.caseType(kase),
      oppdatertDato: kase.updatedAt,
      oppdatertMs: Date.parse(kase.updatedAt),
      oppdatertNs: datetimeInstant(kase.updatedAt) ?? 0n,
      opprettetDato: `${kase.createdDate}T00:00:00.000Z`,
      eksternID: this.caseExtra.get(kase.systemId)?.eksternID ?? [],
      klasse: kase.classes.map((c) => ({ klasseID: c.classId, klassifikasjonssystem: { kode: c.system } })),
    };
    if (!kase.open) view.avsluttetDato = `${kase.updatedAt.slice(0, 10)}`;
    this.views.set(kase.systemId, { version: kase.version, view });
    return view;
  }

  // ---- wire building ---------------------------------------------------------------------

  partWire(base: string, party: WorldParty): TgPartWire {
    const extra = this.partyExtra.get(party.systemId);
    const kind = party.kind === 'organisation' ? 'partenhet' : 'partperson';
    const wire: TgPartWire = {
      systemID: party.systemId,
      partRolle: { kode: party.role },
      navn: party.name,
      _links: {
        self: { href: `${base}/arkivstruktur/${kind}/${party.systemId}/` },
        [`${REL}arkivstruktur/${kind}/`]: { href: `${base}/arkivstruktur/${kind}/${party.systemId}/` },
      },
    };
    const address =
      extra?.postadresse === undefined ? this.addressOf(party) : (extra.postadresse ?? undefined);
    if (address) wire.postadresse = address;
    if (party.identifier) {
      if (party.kind === 'organisation') wire.organisasjonsnummer = party.identifier;
      else wire.personidentifikator = [{ foedselsnummer: party.identifier }];
    } else if (party.kind === 'person') wire.personidentifikator = [];
    if (extra?.personstatus) wire.virksomhetsspesifikkeMetadata = { personstatus: extra.personstatus };
    return wire;
  }

  private addressOf(party: WorldParty): TgAdresseWire | undefined {
    if (!party.address) return undefined;
    return {
      adresselinje1: party.address.adresselinje,
      postnr: party.address.postnummer,
      poststed: party.address.poststed,
    };
  }

  klasseWire(base: string, c: WorldCaseClass): TgKlasseWire {
    return {
      systemID: c.systemId,
      klasseID: c.classId,
      tittel: c.title ?? c.classId,
      klassifikasjonssystem: { kode: c.system },
      _links: { self: { href: `${base}/arkivstruktur/klasse/${c.systemId}/` } },
    };
  }

  saksmappeWire(base: string, kase: WorldCase): TgSaksmappeWire {
    const v = this.view(kase);
    const self = `${base}/sakarkiv/saksmappe/${kase.systemId}/`;
    const [first, ...rest] = kase.classes;
    const wire: TgSaksmappeWire = {
      systemID: kase.systemId,
      mappeID: kase.saksnummer,
      saksaar: v.saksaar,
      sakssekvensnummer: v.sakssekvensnummer,
      tittel: kase.title,
      saksstatus: { kode: kase.status, kodenavn: SAKSSTATUS[kase.status] ?? kase.status },
      mappetype: { kode: v.mappetype },
      saksdato: kase.createdDate,
      opprettetDato: v.opprettetDato,
      oppdatertDato: kase.updatedAt,
      part: kase.parties.map((p) => this.partWire(base, p)),
      _links: {
        self: { href: self },
        [`${REL}sakarkiv/saksmappe/`]: { href: self },
        [`${REL}arkivstruktur/registrering/`]: { href: `${self}registrering/` },
        [`${REL}sakarkiv/ny-journalpost/`]: { href: `${self}ny-journalpost/` },
        [`${REL}arkivstruktur/ny-partperson/`]: { href: `${self}ny-partperson/` },
        [`${REL}arkivstruktur/ny-partenhet/`]: { href: `${self}ny-partenhet/` },
      },
    };
    if (v.avsluttetDato) wire.avsluttetDato = v.avsluttetDato;
    if (first) wire.klasse = this.klasseWire(base, first);
    if (rest.length) wire.sekundaerklassifikasjon = rest.map((c) => this.klasseWire(base, c));
    if (v.eksternID.length) wire.eksternID = v.eksternID;
    if (this.isScreened(kase))
      wire.skjerming = { tilgangsrestriksjon: { kode: 'UO' }, skjermingshjemmel: 'Offl. § 13, fvl. § 13' };
    const corruption = this.corruptCases.get(kase.systemId);
    return corruption ? corrupted(wire, corruption) : wire;
  }

  korrespondansepartWire(base: string, party: WorldParty): TgKorrespondansepartWire {
    const p = this.partWire(base, party);
    const kind = party.kind === 'organisation' ? 'korrespondansepartenhet' : 'korrespondansepartperson';
    const wire: TgKorrespondansepartWire = {
      systemID: p.systemID,
      korrespondanseparttype: { kode: party.role },
      navn: p.navn,
      _links: { self: { href: `${base}/arkivstruktur/${kind}/${party.systemId}/` } },
    };
    if (p.postadresse) wire.postadresse = p.postadresse;
    if (p.personidentifikator) wire.personidentifikator = p.personidentifikator;
    if (p.organisasjonsnummer) wire.organisasjonsnummer = p.organisasjonsnummer;
    if (p.virksomhetsspesifikkeMetadata) wire.virksomhetsspesifikkeMetadata = p.virksomhetsspesifikkeMetadata;
    return wire;
  }

  journalpostWire(base: string, kase: WorldCase, r: WorldRecord): TgJournalpostWire {
    const [aar, seq] = r.journalpostnummer.split('/');
    const wire: TgJournalpostWire = {
      systemID: r.systemId,
      journalaar: Number(aar),
      journalsekvensnummer: Number(seq),
      journalpostnummer: Number(seq),
      tittel: r.title,
      journalposttype: { kode: r.journalposttype },
      journalstatus: { kode: r.journalstatus },
      journaldato: r.journalDate,
      referanseForelderMappe: kase.systemId,
      korrespondansepart: r.correspondenceParties.map((p) => this.korrespondansepartWire(base, p)),
      oppdatertDato: r.updatedAt,
      _links: { self: { href: `${base}/sakarkiv/journalpost/${r.systemId}/` } },
    };
    const ext = this.recordExtra.get(r.systemId)?.eksternID;
    if (ext?.length) wire.eksternID = ext;
    return wire;
  }

  // ---- mutations -------------------------------------------------------------------------

  setPartyExtra(partyId: string, extra: PartyExtra): void {
    this.partyExtra.set(partyId, { ...this.partyExtra.get(partyId), ...extra });
  }

  /** Create a case; `eksternID` is stored as the case's external key. */
  createCase(input: {
    title: string;
    mappetype: string;
    status?: WorldCase['status'];
    classes: Omit<WorldCaseClass, 'systemId'>[];
    parties: Omit<WorldParty, 'systemId' | 'version'>[];
    eksternID?: TgEksternIdWire;
    skjermet?: boolean;
  }): WorldCase {
    const at = this.now();
    const year = Number(at.slice(0, 4));
    const n = this.world.counters.caseSequence.get(year) ?? 1;
    this.world.counters.caseSequence.set(year, n + 1);
    const caseType = (Object.entries({ BYGG: 'byggesak', LAND: 'landbruk', SOS: 'sosial' }).find(
      ([k]) => k === input.mappetype,
    )?.[1] ?? 'landbruk') as WorldCase['caseType'];
    const kase: WorldCase = {
      systemId: this.newId(),
      saksnummer: `${year}/${n}`,
      title: input.title,
      caseType,
      status: input.status ?? 'B',
      open: true,
      createdDate: at.slice(0, 10),
      classes: input.classes.map((c) => ({ ...c, systemId: this.newId() })),
      parties: [],
      records: [],
      version: 1,
      updatedAt: at,
    };
    this.world.cases.set(kase.systemId, kase);
    this.world.index.casesBySaksnummer.set(kase.saksnummer, kase.systemId);
    const extra = this.extra(kase.systemId);
    extra.mappetype = input.mappetype;
    if (input.eksternID) extra.eksternID = [input.eksternID];
    if (input.skjermet) extra.skjermet = true;
    this.indexCase(kase);
    for (const p of input.parties) this.addParty(kase, p);
    kase.version = 1;
    this.mutations += 1;
    return kase;
  }

  addParty(kase: WorldCase, input: Omit<WorldParty, 'systemId' | 'version'>): WorldParty {
    const party: WorldParty = { ...input, systemId: this.newId(), version: 1 };
    kase.parties.push(party);
    this.world.index.caseByParty.set(party.systemId, kase.systemId);
    if (party.personId) {
      const set = this.world.index.casesByPerson.get(party.personId) ?? new Set<string>();
      this.world.index.casesByPerson.set(party.personId, set);
      set.add(kase.systemId);
    }
    this.touch(kase, this.now());
    return party;
  }

  createRecord(
    kase: WorldCase,
    input: Omit<WorldRecord, 'systemId' | 'journalpostnummer' | 'version' | 'updatedAt'>,
    eksternID?: TgEksternIdWire,
  ): WorldRecord {
    const at = this.now();
    const year = Number(at.slice(0, 4));
    const n = this.world.counters.journalSequence.get(year) ?? 1;
    this.world.counters.journalSequence.set(year, n + 1);
    const record: WorldRecord = {
      ...input,
      correspondenceParties: input.correspondenceParties.map((p) => ({
        ...p,
        systemId: this.newId(),
        version: 1,
      })),
      systemId: this.newId(),
      journalpostnummer: `${year}/${n}`,
      version: 1,
      updatedAt: at,
    };
    kase.records.push(record);
    this.world.index.caseByRecord.set(record.systemId, kase.systemId);
    for (const p of record.correspondenceParties) this.world.index.caseByParty.set(p.systemId, kase.systemId);
    if (eksternID) this.recordExtra.set(record.systemId, { eksternID: [eksternID] });
    this.touch(kase, at);
    return record;
  }
}

const SAKSSTATUS: Record<string, string> = {
  R: 'Opprettet av saksbehandler',
  B: 'Under behandling',
  F: 'Ferdig fra saksbehandler',
  A: 'Avsluttet',
  U: 'Utgår',
};
