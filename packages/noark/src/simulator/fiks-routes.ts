import { randomUUID } from 'node:crypto';
import { isRegisterbroError } from '@registerbro/model';
import {
  type SimRequest,
  type SimResponse,
  type WorldCase,
  type WorldParty,
  type WorldRecord,
  specPath,
  validateXml,
} from '@registerbro/testkit';
import {
  decodeArkivmelding,
  decodeArkivmeldingOppdatering,
  decodeMappeHent,
  decodeRegistreringHent,
  decodeSok,
  encodeArkivmeldingKvittering,
  encodeFeilmelding,
  encodeMappeHentResultat,
  encodeRegistreringHentResultat,
  encodeSokeresultatNoekler,
  encodeSokeresultatUtvidet,
} from '../fiks/codec.js';
import { FiksArkivMessageTypes as T, fiksArkivXsdFile } from '../fiks/message-types.js';
import type {
  ArkivmeldingKvittering,
  JournalpostResultat,
  Part,
  ReferanseTilMappe,
  ReferanseTilRegistrering,
  SaksmappeResultat,
} from '../fiks/model.js';
import { header } from './http.js';
import type { ArchiveStore } from './store.js';

/**
 * The Fiks Arkiv side of the simulator: an HTTP stand-in for Fiks IO. A message is POSTed with its
 * type and `klientMeldingId` in headers and answered 202 at once; replies (mottatt, then the
 * kvittering/resultat/feilmelding) are produced asynchronously and fetched with GET. A repeated
 * `klientMeldingId` is acknowledged again but not processed again (Fiks IO's at-least-once rule).
 */

/** One reply as the HTTP transport returns it. */
export interface FiksArkivReplyWire {
  meldingId: string;
  meldingstype: string;
  svarPaaMeldingId: string;
  /** The XML payload, absent for payload-less replies (mottatt, oppdater.kvittering). */
  payload?: string;
}

interface StoredMessage {
  meldingId: string;
  klientMeldingId: string;
  meldingstype: string;
  replies: FiksArkivReplyWire[];
  done: boolean;
}

const FROZEN = new Set(['J', 'E', 'A']);
const FAGSYSTEM_DEFAULT = 'registerbro-simulator';

/** Options of {@link createFiksRoutes}. */
export interface FiksRoutesOptions {
  /** Validate every incoming payload against its V1 XSD with xmllint. @default true */
  validateXsd: boolean;
  /** Delay before the final reply is produced, ms. @default 0 */
  replyDelayMs: number;
}

/** The Fiks Arkiv routes (under `/fiks`) over the archive store. */
export function createFiksRoutes(store: ArchiveStore, options: FiksRoutesOptions) {
  const byId = new Map<string, StoredMessage>();
  const byKlient = new Map<string, StoredMessage>();
  const pending = new Set<Promise<void>>();

  const reply = (msg: StoredMessage, meldingstype: string, payload?: string): undefined => {
    msg.replies.push({
      meldingId: randomUUID(),
      meldingstype,
      svarPaaMeldingId: msg.meldingId,
      ...(payload === undefined ? {} : { payload }),
    });
    return undefined;
  };
  const feilmelding = (msg: StoredMessage, type: string, text: string): undefined => {
    return reply(msg, type, encodeFeilmelding(type, { feilId: randomUUID(), feilmelding: text }));
  };

  function findCase(ref: ReferanseTilMappe | undefined): WorldCase | undefined {
    if (!ref) return undefined;
    if (ref.systemID) return store.getCase(ref.systemID);
    if (ref.saksnummer) {
      const id = store.world.index.casesBySaksnummer.get(
        `${ref.saksnummer.saksaar}/${ref.saksnummer.sakssekvensnummer}`,
      );
      return id ? store.getCase(id) : undefined;
    }
    if (ref.mappeID) {
      const id = store.world.index.casesBySaksnummer.get(ref.mappeID);
      return id ? store.getCase(id) : undefined;
    }
    if (ref.referanseEksternNoekkel)
      return store.findByExternalKey(
        ref.referanseEksternNoekkel.noekkel,
        ref.referanseEksternNoekkel.fagsystem,
      );
    return undefined;
  }

  function findRecord(
    ref: ReferanseTilRegistrering | undefined,
  ): { kase: WorldCase; record: WorldRecord } | undefined {
    if (!ref) return undefined;
    if (ref.systemID) {
      const kase = store.caseOfRecord(ref.systemID);
      const record = kase?.records.find((r) => r.systemId === ref.systemID);
      return kase && record ? { kase, record } : undefined;
    }
    if (ref.referanseEksternNoekkel)
      return store.findRecordByExternalKey(ref.referanseEksternNoekkel.noekkel);
    return undefined;
  }

  const partToWorld = (p: Part): Omit<WorldParty, 'systemId' | 'version'> => ({
    kind: p.organisasjonID ? 'organisation' : p.personID ? 'person' : 'unknown',
    name: p.partNavn,
    role: p.partRolle?.kode ?? 'Part',
    ...(p.personID
      ? { identifier: p.personID.identifikator }
      : p.organisasjonID
        ? { identifier: p.organisasjonID.identifikator }
        : {}),
    ...(p.postadresse[0]
      ? {
          address: {
            adresselinje: p.postadresse[0],
            postnummer: p.postnummer ?? '',
            poststed: p.poststed ?? '',
          },
        }
      : {}),
  });

  function saksmappeResultat(kase: WorldCase): SaksmappeResultat {
    const v = store.view(kase);
    const out: SaksmappeResultat = {
      systemID: kase.systemId,
      mappeID: kase.saksnummer,
      tittel: kase.title,
      opprettetDato: v.opprettetDato,
      opprettetAv: 'arkiv',
      part: kase.parties.map((p) => {
        const wire = store.partWire('', p);
        const part: Part & { partRolle: { kode: string } } = {
          partID: p.systemId,
          partNavn: p.name,
          partRolle: { kode: p.role },
          postadresse: [wire.postadresse?.adresselinje1, wire.postadresse?.adresselinje2].filter(
            (x): x is string => !!x,
          ),
        };
        if (p.identifier && p.kind === 'person')
          part.personID = { landkode: 'NO', identifikator: p.identifier };
        if (p.identifier && p.kind === 'organisation') part.organisasjonID = { identifikator: p.identifier };
        if (wire.postadresse?.postnr) part.postnummer = wire.postadresse.postnr;
        if (wire.postadresse?.poststed) part.poststed = wire.postadresse.poststed;
        return part;
      }),
      klassifikasjon: kase.classes.map((c) => ({
        klassifikasjonssystemID: c.system,
        klasseID: c.classId,
        ...(c.title ? { tittel: c.title } : {}),
      })),
      mappetype: { kode: v.mappetype },
      saksaar: v.saksaar,
      sakssekvensnummer: v.sakssekvensnummer,
      saksdato: kase.createdDate,
      administrativEnhet: { navn: 'Narvik kommune' },
      saksansvarlig: { navn: 'Saksbehandler' },
      saksstatus: { kode: kase.status },
    };
    if (v.avsluttetDato) out.avsluttetDato = `${v.avsluttetDato}T00:00:00Z`;
    if (store.isScreened(kase))
      out.skjerming = { tilgangsrestriksjon: { kode: 'UO' }, skjermingshjemmel: 'Offl. § 13' };
    const ext = v.eksternID[0];
    if (ext) out.referanseEksternNoekkel = { fagsystem: ext.system, noekkel: ext.eksternID };
    return out;
  }

  function journalpostResultat(kase: WorldCase, r: WorldRecord): JournalpostResultat {
    const [aar, seq] = r.journalpostnummer.split('/');
    return {
      systemID: r.systemId,
      opprettetDato: `${r.journalDate}T00:00:00Z`,
      opprettetAv: 'arkiv',
      referanseForelderMappe: { systemID: kase.systemId },
      tittel: r.title,
      korrespondansepart: r.correspondenceParties.map((p) => ({
        korrespondansepartID: p.systemId,
        korrespondanseparttype: { kode: p.role },
        korrespondansepartNavn: p.name,
        postadresse: p.address ? [p.address.adresselinje] : [],
        ...(p.identifier && p.kind === 'person' ? { personid: p.identifier } : {}),
        ...(p.identifier && p.kind === 'organisation' ? { organisasjonid: p.identifier } : {}),
      })),
      journalaar: Number(aar),
      journalsekvensnummer: Number(seq),
      journalpostnummer: Number(seq),
      journalposttype: { kode: r.journalposttype },
      journalstatus: { kode: r.journalstatus },
      journaldato: r.journalDate,
    };
  }

  function opprett(msg: StoredMessage, xml: string, idem: string | undefined): undefined {
    const m = decodeArkivmelding(xml);
    const kv: ArkivmeldingKvittering = {};
    let parent: WorldCase | undefined;
    if (m.mappe) {
      const ext = m.mappe.referanseEksternNoekkel;
      const existing = ext ? store.findByExternalKey(ext.noekkel, ext.fagsystem) : undefined;
      if (existing) {
        parent = existing;
        kv.mappe = {
          systemID: existing.systemId,
          opprettetEllerEksisterende: 'Eksisterende',
          ...(ext ? { referanseEksternNoekkel: ext } : {}),
        };
      } else {
        parent = store.createCase({
          title: m.mappe.tittel,
          mappetype: m.mappe.mappetype?.kode ?? 'ANNEN',
          classes: m.mappe.klassifikasjon.map((k) => ({
            system: (k.klassifikasjonssystemID ?? 'ARKNOKKEL') as 'GBNR',
            classId: k.klasseID,
            ...(k.tittel ? { title: k.tittel } : {}),
          })),
          parties: m.mappe.part.map(partToWorld),
          ...(ext ? { eksternID: { system: ext.fagsystem, eksternID: ext.noekkel } } : {}),
          skjermet: m.mappe.skjerming !== undefined,
        });
        store.log({
          kind: 'create_case',
          caseSystemId: parent.systemId,
          idempotencyKey: idem,
          ...(ext ? { externalKey: ext.noekkel } : {}),
          via: 'fiks',
        });
        const [aar, seq] = parent.saksnummer.split('/');
        kv.mappe = {
          systemID: parent.systemId,
          opprettetEllerEksisterende: 'Opprettet',
          saksaar: Number(aar),
          sakssekvensnummer: Number(seq),
          saksdato: parent.createdDate,
          ...(ext ? { referanseEksternNoekkel: ext } : {}),
        };
      }
    }
    if (m.registrering) {
      const g = m.registrering;
      const kase = findCase(g.referanseForelderMappe) ?? parent;
      const ext = g.referanseEksternNoekkel;
      const existing = ext ? store.findRecordByExternalKey(ext.noekkel) : undefined;
      if (!kase) {
        kv.registrering = {
          feilet: { feilId: randomUUID(), feilmelding: 'Fant ikke mappen registreringen skal knyttes til' },
        };
      } else if (existing) {
        kv.registrering = {
          systemID: existing.record.systemId,
          opprettetEllerEksisterende: 'Eksisterende',
          ...(ext ? { referanseEksternNoekkel: ext } : {}),
        };
      } else {
        const record = store.createRecord(
          kase,
          {
            title: g.tittel,
            journalposttype: (g.journalposttype?.kode ?? 'X') as 'X',
            journalstatus: (g.journalstatus?.kode ?? 'F') as 'F',
            journalDate: new Date().toISOString().slice(0, 10),
            correspondenceParties: g.korrespondansepart.map((k) => ({
              kind: k.personid ? 'person' : k.organisasjonid ? 'organisation' : 'unknown',
              name: k.korrespondansepartNavn,
              role: k.korrespondanseparttype.kode,
              ...(k.personid
                ? { identifier: k.personid }
                : k.organisasjonid
                  ? { identifier: k.organisasjonid }
                  : {}),
              systemId: '',
              version: 1,
            })),
          },
          ext ? { system: ext.fagsystem, eksternID: ext.noekkel } : undefined,
        );
        store.log({
          kind: 'create_record',
          caseSystemId: kase.systemId,
          targetSystemId: record.systemId,
          idempotencyKey: idem,
          ...(ext ? { externalKey: ext.noekkel } : {}),
          via: 'fiks',
        });
        const [aar, seq] = record.journalpostnummer.split('/');
        kv.registrering = {
          systemID: record.systemId,
          opprettetEllerEksisterende: 'Opprettet',
          journalaar: Number(aar),
          journalsekvensnummer: Number(seq),
          journalpostnummer: Number(seq),
          ...(ext ? { referanseEksternNoekkel: ext } : {}),
        };
      }
    }
    reply(msg, T.arkivmeldingOpprettKvittering, encodeArkivmeldingKvittering(kv));
  }

  function oppdater(msg: StoredMessage, xml: string, idem: string | undefined): undefined {
    const o = decodeArkivmeldingOppdatering(xml);
    if (o.mappe) {
      const kase = findCase(o.mappe.referanseTilMappe);
      if (!kase) return feilmelding(msg, T.ikkefunnet, 'Fant ikke mappen');
      const at = store.now();
      if (o.mappe.tittel) kase.title = o.mappe.tittel;
      if (o.mappe.saksstatus) {
        kase.status = o.mappe.saksstatus.kode as WorldCase['status'];
        kase.open = kase.status !== 'A';
      }
      const po = o.mappe.partOppdateringer;
      for (const u of po?.oppdatering ?? []) {
        const party = kase.parties.find((p) => p.systemId === u.partID);
        if (!party) return feilmelding(msg, T.ikkefunnet, `Fant ikke part ${u.partID}`);
      }
      for (const u of po?.oppdatering ?? []) {
        const party = kase.parties.find((p) => p.systemId === u.partID) as WorldParty;
        if (u.partNavn) party.name = u.partNavn;
        if (u.postadresse) {
          store.setPartyExtra(party.systemId, {
            postadresse: u.postadresse.length
              ? { adresselinje1: u.postadresse[0], postnr: u.postnummer, poststed: u.poststed }
              : null,
          });
        }
        party.version += 1;
        store.log({
          at,
          kind: 'update_party',
          caseSystemId: kase.systemId,
          targetSystemId: party.systemId,
          idempotencyKey: idem,
          via: 'fiks',
        });
      }
      for (const d of po?.slett ?? []) {
        kase.parties = kase.parties.filter((p) => p.systemId !== d.partID);
        store.log({
          at,
          kind: 'remove_party',
          caseSystemId: kase.systemId,
          targetSystemId: d.partID,
          idempotencyKey: idem,
          via: 'fiks',
        });
      }
      for (const n of po?.ny ?? []) {
        const party = store.addParty(kase, partToWorld(n));
        store.log({
          at,
          kind: 'add_party',
          caseSystemId: kase.systemId,
          targetSystemId: party.systemId,
          idempotencyKey: idem,
          via: 'fiks',
        });
      }
      const ko = o.mappe.klassifikasjonOppdateringer;
      for (const d of ko?.slett ?? []) {
        const ref = d.referanseTilKlassifikasjon;
        kase.classes = kase.classes.filter(
          (c) => !(c.system === ref.klassifikasjonssystemID && c.classId === ref.klasseID),
        );
        store.log({
          at,
          kind: 'remove_class',
          caseSystemId: kase.systemId,
          idempotencyKey: idem,
          via: 'fiks',
        });
      }
      for (const n of ko?.ny ?? []) {
        kase.classes.push({
          system: (n.klassifikasjonssystemID ?? 'ARKNOKKEL') as 'GBNR',
          classId: n.klasseID,
          systemId: store.newId(),
          ...(n.tittel ? { title: n.tittel } : {}),
        });
        store.log({ at, kind: 'add_class', caseSystemId: kase.systemId, idempotencyKey: idem, via: 'fiks' });
      }
      store.touch(kase, at);
      store.log({ at, kind: 'update_case', caseSystemId: kase.systemId, idempotencyKey: idem, via: 'fiks' });
      return reply(msg, T.arkivmeldingOppdaterKvittering);
    }
    const g = o.registrering;
    const found = findRecord(g?.referanseTilRegistrering);
    if (!g || !found) return feilmelding(msg, T.ikkefunnet, 'Fant ikke registreringen');
    if (FROZEN.has(found.record.journalstatus)) {
      return feilmelding(
        msg,
        T.ugyldigforespoersel,
        `Journalposten ${found.record.journalpostnummer} har journalstatus ${found.record.journalstatus} og kan ikke endres`,
      );
    }
    const at = store.now();
    if (g.tittel) found.record.title = g.tittel;
    if (g.journalstatus) found.record.journalstatus = g.journalstatus.kode as WorldRecord['journalstatus'];
    found.record.version += 1;
    found.record.updatedAt = at;
    store.touch(found.kase, at);
    store.log({
      at,
      kind: 'update_record',
      caseSystemId: found.kase.systemId,
      targetSystemId: found.record.systemId,
      idempotencyKey: idem,
      via: 'fiks',
    });
    reply(msg, T.arkivmeldingOppdaterKvittering);
  }

  function sok(msg: StoredMessage, xml: string): undefined {
    const q = decodeSok(xml);
    const d = q.sokdefinisjon;
    if (d.type !== 'saksmappeSokdefinisjon' && d.type !== 'mappeSokdefinisjon') {
      return feilmelding(msg, T.ugyldigforespoersel, `Simulatoren støtter ikke ${d.type}`);
    }
    if (d.responstype === 'minimum')
      return feilmelding(
        msg,
        T.ugyldigforespoersel,
        'Simulatoren svarer bare med responstype utvidet eller noekler',
      );
    let cases = [...store.world.cases.values()];
    for (const p of d.parametere) {
      const v = p.sokVerdier;
      if (p.felt === 'mappeEksternNoekkel' && 'eksternNoekkel' in v) {
        const e = v.eksternNoekkel;
        cases = cases.filter((k) =>
          store.view(k).eksternID.some((x) => x.eksternID === e.noekkel && x.system === e.fagsystem),
        );
      } else if (p.felt === 'mappeTittel' && 'stringvalues' in v) {
        const patterns = v.stringvalues.map(
          (s) => new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'),
        );
        cases = cases.filter((k) => patterns.some((re) => re.test(k.title)));
      } else if (
        p.felt === 'mappeEndretDato' &&
        'datevalues' in v &&
        (p.operator === 'greaterthan' || p.operator === 'greaterequal')
      ) {
        const from = Date.parse(v.datevalues[0] ?? '');
        cases = cases.filter((k) =>
          p.operator === 'greaterthan' ? Date.parse(k.updatedAt) > from : Date.parse(k.updatedAt) >= from,
        );
      } else if ((p.felt === 'sakSaksaar' || p.felt === 'sakSaksekvensnummer') && 'intvalues' in v) {
        const idx = p.felt === 'sakSaksaar' ? 0 : 1;
        cases = cases.filter((k) => v.intvalues.includes(Number(k.saksnummer.split('/')[idx])));
      } else {
        return feilmelding(
          msg,
          T.ugyldigforespoersel,
          `Simulatoren støtter ikke søk på ${p.felt} med ${p.operator}`,
        );
      }
    }
    cases.sort((a, b) => (a.systemId < b.systemId ? -1 : a.systemId > b.systemId ? 1 : 0));
    const page = cases.slice(q.skip, q.skip + q.take);
    if (d.responstype === 'noekler') {
      reply(
        msg,
        T.sokResultatNoekler,
        encodeSokeresultatNoekler({
          system: FAGSYSTEM_DEFAULT,
          take: q.take,
          skip: q.skip,
          count: cases.length,
          resultattype: 'saksmappe',
          saksmapper: page.map((k) => {
            const v = store.view(k);
            const ext = v.eksternID[0];
            return {
              systemID: k.systemId,
              mappeID: k.saksnummer,
              ...(ext ? { referanseEksternNoekkel: { fagsystem: ext.system, noekkel: ext.eksternID } } : {}),
              saksnummer: { saksaar: v.saksaar, sakssekvensnummer: v.sakssekvensnummer },
            };
          }),
        }),
      );
      return;
    }
    reply(
      msg,
      T.sokResultatUtvidet,
      encodeSokeresultatUtvidet({
        system: FAGSYSTEM_DEFAULT,
        take: q.take,
        skip: q.skip,
        count: cases.length,
        resultattype: 'saksmappe',
        saksmapper: page.map(saksmappeResultat),
      }),
    );
  }

  async function process(msg: StoredMessage, xml: string, idem: string | undefined): Promise<void> {
    if (options.replyDelayMs > 0) await new Promise((r) => setTimeout(r, options.replyDelayMs));
    try {
      if (options.validateXsd) {
        let result: { valid: boolean; errors: string } | undefined;
        try {
          result = await validateXml(
            xml,
            specPath('arkiv', 'fiks-arkiv', 'schema', 'V1', fiksArkivXsdFile(msg.meldingstype)),
          );
        } catch {
          // No xmllint or no specs folder on this machine: go on without the schema check.
          options.validateXsd = false;
        }
        if (result && !result.valid) {
          feilmelding(
            msg,
            T.ugyldigforespoersel,
            `Meldingen validerer ikke mot ${fiksArkivXsdFile(msg.meldingstype)}: ${result.errors.slice(0, 500)}`,
          );
          return;
        }
      }
      switch (msg.meldingstype) {
        case T.arkivmeldingOpprett:
          return opprett(msg, xml, idem);
        case T.arkivmeldingOppdater:
          return oppdater(msg, xml, idem);
        case T.sok:
          return sok(msg, xml);
        case T.mappeHent: {
          const h = decodeMappeHent(xml);
          const kase = findCase(h.referanseTilMappe);
          if (!kase) return feilmelding(msg, T.ikkefunnet, 'Fant ikke mappen');
          return reply(
            msg,
            T.mappeHentResultat,
            encodeMappeHentResultat({ saksmappe: saksmappeResultat(kase) }),
          );
        }
        case T.registreringHent: {
          const h = decodeRegistreringHent(xml);
          const found = findRecord(h.referanseTilRegistrering);
          if (!found) return feilmelding(msg, T.ikkefunnet, 'Fant ikke registreringen');
          return reply(
            msg,
            T.registreringHentResultat,
            encodeRegistreringHentResultat({ journalpost: journalpostResultat(found.kase, found.record) }),
          );
        }
      }
    } catch (error) {
      if (isRegisterbroError(error) && (error.code === 'upstream_invalid' || error.code.startsWith('xml_'))) {
        feilmelding(msg, T.ugyldigforespoersel, error.message);
        return;
      }
      feilmelding(msg, T.serverfeil, error instanceof Error ? error.message : String(error));
    } finally {
      msg.done = true;
    }
  }

  return function route(req: SimRequest, path: string): SimResponse | undefined {
    if (path === '/meldinger' || path === '/meldinger/') {
      if (req.method !== 'POST') return { status: 405, body: '' };
      const meldingstype = header(req, 'x-fiks-meldingstype');
      const klientMeldingId = header(req, 'x-fiks-klientmeldingid');
      if (!meldingstype || !klientMeldingId) {
        return {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: 'x-fiks-meldingstype and x-fiks-klientmeldingid are required' }),
        };
      }
      const seen = byKlient.get(klientMeldingId);
      if (seen) {
        return {
          status: 202,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ meldingId: seen.meldingId, duplikat: true }),
        };
      }
      const msg: StoredMessage = {
        meldingId: randomUUID(),
        klientMeldingId,
        meldingstype,
        replies: [],
        done: false,
      };
      byId.set(msg.meldingId, msg);
      byKlient.set(klientMeldingId, msg);
      const known = [
        T.arkivmeldingOpprett,
        T.arkivmeldingOppdater,
        T.sok,
        T.mappeHent,
        T.registreringHent,
      ] as string[];
      if (!known.includes(meldingstype)) {
        feilmelding(msg, T.ugyldigforespoersel, `Ukjent meldingstype ${meldingstype}`);
        msg.done = true;
      } else {
        if (meldingstype === T.arkivmeldingOpprett) reply(msg, T.arkivmeldingOpprettMottatt);
        if (meldingstype === T.arkivmeldingOppdater) reply(msg, T.arkivmeldingOppdaterMottatt);
        const work = process(msg, req.body, header(req, 'x-idempotency-key')).finally(() =>
          pending.delete(work),
        );
        pending.add(work);
      }
      return {
        status: 202,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ meldingId: msg.meldingId, duplikat: false }),
      };
    }
    const r = /^\/meldinger\/([^/]+)\/svar\/?$/.exec(path);
    if (r && req.method === 'GET') {
      const msg = byId.get(r[1] as string);
      if (!msg)
        return {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: 'ukjent melding' }),
        };
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ svar: msg.replies, ferdig: msg.done }),
      };
    }
    return undefined;
  };
}
