import {
  type ArchiveRecord,
  type Case,
  type CaseClass,
  CaseSchema,
  type CaseType,
  FROZEN_JOURNALSTATUS,
  RecordSchema,
  UpstreamInvalidError,
} from '@registerbro/model';
import type { TgJournalpostWire, TgKlasseWire, TgSaksmappeWire } from '../wire/tg.js';
import { type MapOptions, toCorrespondenceParty, toParty } from './to-party.js';

/** Mappetype codes the simulator and common archives use, and the canonical case type. */
export const MAPPETYPE_TO_CASE_TYPE: Readonly<Record<string, CaseType>> = {
  BYGG: 'byggesak',
  LAND: 'landbruk',
  SOS: 'sosial',
  KONS: 'konsesjon',
};

/** The mappetype code of a case type. */
export function mappetypeOf(caseType: CaseType): string {
  return Object.entries(MAPPETYPE_TO_CASE_TYPE).find(([, t]) => t === caseType)?.[0] ?? 'ANNEN';
}

/** Saksstatus codes that mean the case is closed: A avsluttet, U utgår. */
const CLOSED = new Set(['A', 'U', 'Avsluttet', 'Utgår']);

/** Classification systems whose class ids are personal identifiers. */
const PERSONAL_CLASS_SYSTEMS = new Set(['FNR', 'Personnummer', 'PNR']);

function toClass(wire: TgKlasseWire): CaseClass {
  const out: CaseClass = {
    system: wire.klassifikasjonssystem?.kode ?? wire.klassifikasjonssystem?.systemID ?? 'ukjent',
    classId: wire.klasseID,
    systemId: wire.systemID,
  };
  if (wire.tittel && wire.tittel !== wire.klasseID) out.title = wire.tittel;
  return out;
}

/**
 * A saksmappe as a canonical Case. A screened case (skjerming) loses its FNR classes and party
 * identifiers unless `includeScreened`. Throws UpstreamInvalidError / InvalidIdentifierError
 * naming the case when something in it cannot be used (the caller quarantines it).
 */
export function toCase(wire: TgSaksmappeWire, options: MapOptions & { version?: string }): Case {
  const saksnummer = `${wire.saksaar}/${wire.sakssekvensnummer}`;
  const record = `saksmappe ${saksnummer} (${wire.systemID})`;
  const screened = wire.skjerming !== undefined;
  const classWires = [...(wire.klasse ? [wire.klasse] : []), ...(wire.sekundaerklassifikasjon ?? [])];
  // A screened class, or a personal (FNR) class on a screened case, is left out unless asked for.
  const hidden = (k: TgKlasseWire) =>
    !options.includeScreened && (k.skjermetKlasse === true || (screened && isPersonal(k)));
  const classes = classWires.filter((k) => !hidden(k)).map(toClass);
  // The case's ETag is not its parties' (each part has its own, read from arkivstruktur/part):
  // stamped on a party it would be sent back as that party's expected version.
  const { version: _caseVersion, ...partyOptions } = options;
  const parties = (wire.part ?? []).map((p) => toParty(p, { ...partyOptions, record, screened }));
  const candidate: Case = {
    systemId: wire.systemID,
    saksnummer,
    title: wire.tittel,
    status: wire.saksstatus.kode,
    open: !CLOSED.has(wire.saksstatus.kode) && wire.avsluttetDato === undefined,
    caseType: MAPPETYPE_TO_CASE_TYPE[wire.mappetype?.kode ?? ''] ?? 'annen',
    classes,
    parties,
    sources: [
      {
        system: 'noark',
        id: wire.systemID,
        fetchedAt: options.fetchedAt,
        ...(options.version ? { version: options.version } : {}),
      },
    ],
  };
  const ext = wire.eksternID?.[0];
  if (ext) candidate.externalKey = { fagsystem: ext.system, noekkel: ext.eksternID };
  if (wire.opprettetDato) candidate.createdAt = wire.opprettetDato;
  if (wire.oppdatertDato) candidate.updatedAt = wire.oppdatertDato;
  if (options.version) candidate.version = options.version;
  const parsed = CaseSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new UpstreamInvalidError(`noark: ${record} does not fit the canonical Case`, {
      system: 'noark',
      record,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
        code: i.code,
      })),
      hint: 'Check the saksmappe in the archive; it is quarantined until it is fixed.',
    });
  }
  return parsed.data;
}

function isPersonal(k: TgKlasseWire): boolean {
  return PERSONAL_CLASS_SYSTEMS.has(k.klassifikasjonssystem?.kode ?? k.klassifikasjonssystem?.systemID ?? '');
}

/** True when the journalstatus forbids edits (J journalført, E ekspedert, A arkivert). */
export function isFrozenJournalstatus(kode: string): boolean {
  return (FROZEN_JOURNALSTATUS as readonly string[]).includes(kode);
}

/** A journalpost as a canonical ArchiveRecord. */
export function toRecord(
  wire: TgJournalpostWire,
  options: MapOptions & { caseSystemId: string; version?: string },
): ArchiveRecord {
  const record = `journalpost ${wire.journalaar}/${wire.journalsekvensnummer} (${wire.systemID})`;
  const candidate: ArchiveRecord = {
    systemId: wire.systemID,
    caseSystemId: wire.referanseForelderMappe ?? options.caseSystemId,
    journalpostnummer: `${wire.journalaar}/${wire.journalsekvensnummer}`,
    title: wire.tittel,
    journalposttype: wire.journalposttype.kode,
    journalstatus: wire.journalstatus.kode,
    frozen: isFrozenJournalstatus(wire.journalstatus.kode),
    correspondenceParties: (wire.korrespondansepart ?? []).map((k) =>
      toCorrespondenceParty(k, { ...options, record }),
    ),
    sources: [{ system: 'noark', id: wire.systemID, fetchedAt: options.fetchedAt }],
  };
  if (wire.journaldato) candidate.journalDate = wire.journaldato;
  const ext = wire.eksternID?.[0];
  if (ext) candidate.externalKey = { fagsystem: ext.system, noekkel: ext.eksternID };
  if (options.version) candidate.version = options.version;
  const parsed = RecordSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new UpstreamInvalidError(`noark: ${record} does not fit the canonical ArchiveRecord`, {
      system: 'noark',
      record,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    });
  }
  return parsed.data;
}
