import { parseXml } from '@registerbro/transport';
import type {
  Arkivmelding,
  ArkivmeldingKvittering,
  ArkivmeldingOppdatering,
  Dokumentbeskrivelse,
  Dokumentobjekt,
  DokumentobjektOpprett,
  EksternNoekkel,
  Feilmelding,
  Identifikatorer,
  JournalpostResultat,
  Klassifikasjon,
  KlassifikasjonOppdateringer,
  Kode,
  Korrespondansepart,
  MappeHent,
  MappeHentResultat,
  MappeMelding,
  MappeOppdatering,
  NyAvskrivning,
  Part,
  PartOppdateringer,
  ReferanseTilMappe,
  ReferanseTilRegistrering,
  RegistreringHent,
  RegistreringHentResultat,
  RegistreringMelding,
  RegistreringOppdatering,
  SaksmappeResultat,
  Skjerming,
  Sok,
  SokParameter,
  SokeresultatNoekler,
  SokeresultatUtvidet,
} from './model.js';
import { FiksArkivMessageTypes as T } from './message-types.js';
import {
  type Node,
  type Prefix,
  type ReadContext,
  bool,
  decodeXmlBytes,
  el,
  int,
  invalid,
  join,
  obj,
  objs,
  reqObj,
  reqText,
  root,
  text,
  texts,
  tx,
  typeOf,
  xsiType,
} from './xml.js';

/*
 * Encoders write elements in the XSD's sequence order. Which namespace a child element is in
 * follows the schema that declares its parent's TYPE: children of `n5mdk:*` types are in the
 * metadatakatalog namespace (`mdk`), children of message-schema types in the message's namespace.
 */

// ---- shared n5mdk types (children always in mdk) -------------------------------------------------

const kode = (p: Prefix, name: string, k: Kode | undefined) =>
  k && el(p, name, tx('mdk', 'kode', k.kode) + tx('mdk', 'beskrivelse', k.beskrivelse));

const ekstern = (p: Prefix, name: string, e: EksternNoekkel | undefined) =>
  e && el(p, name, tx('mdk', 'fagsystem', e.fagsystem) + tx('mdk', 'noekkel', e.noekkel));

const ident = (p: Prefix, name: string, i: Identifikatorer | undefined) =>
  i &&
  el(
    p,
    name,
    tx('mdk', 'navn', i.navn) +
      tx('mdk', 'identifikator', i.identifikator) +
      tx('mdk', 'initialer', i.initialer) +
      tx('mdk', 'epostadresse', i.epostadresse),
  );

const refMappe = (p: Prefix, name: string, r: ReferanseTilMappe | undefined) =>
  r &&
  el(
    p,
    name,
    tx('mdk', 'systemID', r.systemID) +
      tx('mdk', 'mappeID', r.mappeID) +
      (r.saksnummer
        ? el(
            'mdk',
            'saksnummer',
            tx('mdk', 'saksaar', r.saksnummer.saksaar) +
              tx('mdk', 'sakssekvensnummer', r.saksnummer.sakssekvensnummer),
          )
        : '') +
      (ekstern('mdk', 'referanseEksternNoekkel', r.referanseEksternNoekkel) ?? ''),
  );

const refReg = (p: Prefix, name: string, r: ReferanseTilRegistrering | undefined) =>
  r &&
  el(
    p,
    name,
    tx('mdk', 'systemID', r.systemID) +
      tx('mdk', 'registreringsID', r.registreringsID) +
      (ekstern('mdk', 'referanseEksternNoekkel', r.referanseEksternNoekkel) ?? ''),
  );

const s = (v: string | undefined | false | null) => v || '';

// ---- message-schema types (children in the schema's namespace `p`) ---------------------------

function part(ep: Prefix, name: string, x: Part, p: Prefix = ep, rolleRequired = false): string {
  return el(
    ep,
    name,
    join([
      tx(p, 'partID', x.partID),
      tx(p, 'partNavn', x.partNavn),
      s(kode(p, 'partRolle', x.partRolle ?? (rolleRequired ? { kode: 'PART' } : undefined))),
      x.organisasjonID
        ? el(
            p,
            'organisasjonID',
            tx(p, 'identifikator', x.organisasjonID.identifikator) +
              tx(p, 'landkode', x.organisasjonID.landkode),
          )
        : x.personID
          ? el(
              p,
              'personID',
              tx(p, 'landkode', x.personID.landkode) + tx(p, 'identifikator', x.personID.identifikator),
            )
          : '',
      join(x.postadresse.map((a) => tx(p, 'postadresse', a))),
      tx(p, 'postnummer', x.postnummer),
      tx(p, 'poststed', x.poststed),
      tx(p, 'erSkjermet', x.erSkjermet),
      tx(p, 'erPersonnavn', x.erPersonnavn),
    ]),
  );
}

function korrpart(p: Prefix, x: Korrespondansepart): string {
  return el(
    p,
    'korrespondansepart',
    join([
      tx(p, 'korrespondansepartID', x.korrespondansepartID),
      s(kode(p, 'korrespondanseparttype', x.korrespondanseparttype)),
      tx(p, 'erBehandlingsansvarlig', x.erBehandlingsansvarlig),
      tx(p, 'korrespondansepartNavn', x.korrespondansepartNavn),
      x.organisasjonid !== undefined
        ? tx(p, 'organisasjonid', x.organisasjonid)
        : tx(p, 'personid', x.personid),
      join(x.postadresse.map((a) => tx(p, 'postadresse', a))),
      tx(p, 'postnummer', x.postnummer),
      tx(p, 'poststed', x.poststed),
      s(ident(p, 'administrativEnhet', x.administrativEnhet)),
      s(ident(p, 'saksbehandler', x.saksbehandler)),
      tx(p, 'erSkjermet', x.erSkjermet),
    ]),
  );
}

const skjerming = (p: Prefix, x: Skjerming | undefined) =>
  x &&
  el(
    p,
    'skjerming',
    s(kode(p, 'tilgangsrestriksjon', x.tilgangsrestriksjon)) +
      tx(p, 'skjermingshjemmel', x.skjermingshjemmel),
  );

const klass = (p: Prefix, x: Klassifikasjon) =>
  el(
    p,
    'klassifikasjon',
    tx(p, 'klassifikasjonssystemID', x.klassifikasjonssystemID) +
      tx(p, 'klasseID', x.klasseID) +
      tx(p, 'tittel', x.tittel) +
      tx(p, 'erSkjermet', x.erSkjermet),
  );

function dokobj(p: Prefix, name: string, x: Dokumentobjekt): string {
  return el(
    p,
    name,
    join([
      tx(p, 'versjonsnummer', x.versjonsnummer),
      s(kode(p, 'variantformat', x.variantformat)),
      s(kode(p, 'format', x.format)),
      tx(p, 'filnavn', x.filnavn),
      tx(p, 'referanseDokumentfil', x.referanseDokumentfil),
    ]),
  );
}

function dokbesk(x: Dokumentbeskrivelse): string {
  return el(
    'am',
    'dokumentbeskrivelse',
    join([
      s(kode('am', 'dokumenttype', x.dokumenttype)),
      s(kode('am', 'dokumentstatus', x.dokumentstatus)),
      tx('am', 'tittel', x.tittel),
      s(kode('am', 'tilknyttetRegistreringSom', x.tilknyttetRegistreringSom)),
      tx('am', 'dokumentnummer', x.dokumentnummer),
      join(x.dokumentobjekt.map((d) => dokobj('am', 'dokumentobjekt', d))),
    ]),
  );
}

function mappe(x: MappeMelding): string {
  const p = 'am';
  const base = join([
    tx(p, 'systemID', x.systemID),
    tx(p, 'tittel', x.tittel),
    tx(p, 'offentligTittel', x.offentligTittel),
    join(x.part.map((pt) => part(p, 'part', pt))),
    s(skjerming(p, x.skjerming)),
    join(x.klassifikasjon.map((k) => klass(p, k))),
    s(ekstern(p, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
    s(kode(p, 'mappetype', x.mappetype)),
  ]);
  const sak =
    x.type === 'saksmappe'
      ? join([
          tx(p, 'saksaar', x.saksaar),
          tx(p, 'sakssekvensnummer', x.sakssekvensnummer),
          tx(p, 'saksdato', x.saksdato),
          s(ident(p, 'administrativEnhet', x.administrativEnhet)),
          s(ident(p, 'saksansvarlig', x.saksansvarlig)),
          s(kode(p, 'saksstatus', x.saksstatus)),
        ])
      : '';
  return el(p, 'mappe', base + sak, xsiType(p, x.type));
}

function registrering(x: RegistreringMelding): string {
  const p = 'am';
  const base = join([
    tx(p, 'opprettetAv', x.opprettetAv),
    tx(p, 'arkivertAv', x.arkivertAv),
    s(refMappe(p, 'referanseForelderMappe', x.referanseForelderMappe)),
    join(x.part.map((pt) => part(p, 'part', pt))),
    join(x.dokumentbeskrivelse.map(dokbesk)),
    tx(p, 'tittel', x.tittel),
    tx(p, 'offentligTittel', x.offentligTittel),
    join(x.korrespondansepart.map((k) => korrpart(p, k))),
    s(ekstern(p, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
  ]);
  const jp =
    x.type === 'journalpost'
      ? join([
          s(kode(p, 'journalposttype', x.journalposttype ?? { kode: 'X' })),
          s(kode(p, 'journalstatus', x.journalstatus)),
          tx(p, 'journaldato', x.journaldato),
          tx(p, 'dokumentetsDato', x.dokumentetsDato),
          tx(p, 'mottattDato', x.mottattDato),
          tx(p, 'avskrivningsdato', x.avskrivningsdato),
        ])
      : '';
  return el(p, 'registrering', base + jp, xsiType(p, x.type));
}

/** Encode an `arkivmelding` (arkivmelding.opprett). */
export function encodeArkivmelding(x: Arkivmelding): string {
  const inner = join([
    tx('am', 'system', x.system),
    tx('am', 'regel', x.regel),
    tx('am', 'antallFiler', x.antallFiler),
    x.mappe ? mappe(x.mappe) : '',
    x.registrering ? registrering(x.registrering) : '',
  ]);
  return root('am', 'arkivmelding', inner, ['mdk']);
}

function partOppdateringer(x: PartOppdateringer | undefined): string {
  if (!x) return '';
  const p = 'amo';
  return el(
    p,
    'partOppdateringer',
    join([
      join(
        x.oppdatering.map((o) =>
          el(
            p,
            'oppdatering',
            join([
              tx(p, 'partID', o.partID),
              tx(p, 'partNavn', o.partNavn),
              s(kode(p, 'partRolle', o.partRolle)),
              o.organisasjonid !== undefined
                ? tx(p, 'organisasjonid', o.organisasjonid)
                : tx(p, 'personid', o.personid),
              join((o.postadresse ?? []).map((a) => tx(p, 'postadresse', a))),
              tx(p, 'postnummer', o.postnummer),
              tx(p, 'poststed', o.poststed),
              tx(p, 'erSkjermet', o.erSkjermet),
              tx(p, 'erPersonnavn', o.erPersonnavn),
            ]),
          ),
        ),
      ),
      join(x.slett.map((d) => el(p, 'slett', tx(p, 'partID', d.partID)))),
      join(x.ny.map((n) => part('amo', 'ny', n, 'am'))),
    ]),
  );
}

const refKlasse = (r: { klassifikasjonssystemID: string; klasseID: string }) =>
  el(
    'amo',
    'referanseTilKlassifikasjon',
    tx('mdk', 'klassifikasjonssystemID', r.klassifikasjonssystemID) + tx('mdk', 'klasseID', r.klasseID),
  );

function klassOppdateringer(x: KlassifikasjonOppdateringer | undefined): string {
  if (!x) return '';
  const p = 'amo';
  return el(
    p,
    'klassifikasjonOppdateringer',
    join([
      join(
        x.oppdatering.map((o) =>
          el(p, 'oppdatering', refKlasse(o.referanseTilKlassifikasjon) + tx(p, 'tittel', o.tittel)),
        ),
      ),
      join(x.slett.map((d) => el(p, 'slett', refKlasse(d.referanseTilKlassifikasjon)))),
      join(
        x.ny.map((k) =>
          el(
            p,
            'ny',
            tx('am', 'klassifikasjonssystemID', k.klassifikasjonssystemID) +
              tx('am', 'klasseID', k.klasseID) +
              tx('am', 'tittel', k.tittel) +
              tx('am', 'erSkjermet', k.erSkjermet),
          ),
        ),
      ),
    ]),
  );
}

function mappeOppdatering(x: MappeOppdatering): string {
  const p = 'amo';
  const base = join([
    s(refMappe(p, 'referanseTilMappe', x.referanseTilMappe)),
    tx(p, 'tittel', x.tittel),
    partOppdateringer(x.partOppdateringer),
    klassOppdateringer(x.klassifikasjonOppdateringer),
    s(ekstern(p, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
  ]);
  const sak = x.type === 'saksmappe' ? s(kode(p, 'saksstatus', x.saksstatus)) : '';
  return el(
    p,
    'mappeOppdateringer',
    base + sak,
    xsiType(p, x.type === 'saksmappe' ? 'saksmappeOppdatering' : 'mappeOppdatering'),
  );
}

function registreringOppdatering(x: RegistreringOppdatering): string {
  const p = 'amo';
  const base = join([
    s(refReg(p, 'referanseTilRegistrering', x.referanseTilRegistrering)),
    partOppdateringer(x.partOppdateringer),
    tx(p, 'tittel', x.tittel),
    s(ekstern(p, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
  ]);
  const jp = x.type === 'journalpost' ? s(kode(p, 'journalstatus', x.journalstatus)) : '';
  return el(
    p,
    'registreringOppdateringer',
    base + jp,
    xsiType(p, x.type === 'journalpost' ? 'journalpostOppdatering' : 'registreringOppdatering'),
  );
}

/** Encode an `arkivmeldingOppdatering` (arkivmelding.oppdater). Exactly one of mappe/registrering. */
export function encodeArkivmeldingOppdatering(x: ArkivmeldingOppdatering): string {
  const inner = x.mappe
    ? mappeOppdatering(x.mappe)
    : x.registrering
      ? registreringOppdatering(x.registrering)
      : '';
  return root('amo', 'arkivmeldingOppdatering', inner, ['mdk', 'am']);
}

function sokParameter(x: SokParameter): string {
  const p = 'sok';
  const v = x.sokVerdier;
  const values =
    'stringvalues' in v
      ? el(p, 'stringvalues', join(v.stringvalues.map((x) => tx(p, 'value', x))))
      : 'datevalues' in v
        ? el(p, 'datevalues', join(v.datevalues.map((x) => tx(p, 'value', x))))
        : 'intvalues' in v
          ? el(p, 'intvalues', join(v.intvalues.map((x) => tx(p, 'value', x))))
          : el(
              p,
              'eksternNoekkel',
              tx(p, 'fagsystem', v.eksternNoekkel.fagsystem) + tx(p, 'noekkel', v.eksternNoekkel.noekkel),
            );
  return el(
    p,
    'parametere',
    tx(p, 'operator', x.operator) + el(p, 'sokVerdier', values) + tx(p, 'felt', x.felt),
  );
}

/** Encode a `sok`. */
export function encodeSok(x: Sok): string {
  const p = 'sok';
  const d = x.sokdefinisjon;
  const def = el(
    p,
    'sokdefinisjon',
    join([
      tx(p, 'responstype', d.responstype),
      join(d.parametere.map(sokParameter)),
      join(
        (d.sortering ?? []).map((o) =>
          el(p, 'sortering', tx(p, 'felt', o.felt) + tx(p, 'retning', o.retning)),
        ),
      ),
    ]),
    xsiType(p, d.type),
  );
  return root(p, 'sok', tx(p, 'system', x.system) + tx(p, 'take', x.take) + tx(p, 'skip', x.skip) + def, []);
}

/** Encode a `mappeHent`. */
export function encodeMappeHent(x: MappeHent): string {
  const inner =
    tx('mh', 'system', x.system) +
    s(refMappe('mh', 'referanseTilMappe', x.referanseTilMappe)) +
    join(x.inkluder.map((i) => tx('mh', 'inkluder', i)));
  return root('mh', 'mappeHent', inner, ['mdk']);
}

/** Encode a `registreringHent`. */
export function encodeRegistreringHent(x: RegistreringHent): string {
  const inner =
    tx('rh', 'system', x.system) +
    s(refReg('rh', 'referanseTilRegistrering', x.referanseTilRegistrering)) +
    join(x.inkluder.map((i) => tx('rh', 'inkluder', i)));
  return root('rh', 'registreringHent', inner, ['mdk']);
}

/** Encode a `nyAvskrivning` (avskrivning.opprett). */
export function encodeNyAvskrivning(x: NyAvskrivning): string {
  const p = 'avs';
  const inner = join([
    el(
      p,
      'avskrivning',
      tx(p, 'avskrivningsdato', x.avskrivning.avskrivningsdato) +
        s(ident(p, 'avskrevetAv', x.avskrivning.avskrevetAv)) +
        s(kode(p, 'avskrivningsmaate', x.avskrivning.avskrivningsmaate)),
    ),
    s(refReg(p, 'referanseTilJournalpost', x.referanseTilJournalpost)),
    tx(p, 'korrespondansepartID', x.korrespondansepartID),
  ]);
  return root(p, 'nyAvskrivning', inner, ['mdk']);
}

/** Encode a `dokumentobjektOpprett`. */
export function encodeDokumentobjektOpprett(x: DokumentobjektOpprett): string {
  const r = x.referanseTilDokumentbeskrivelse;
  const ref = el(
    'dob',
    'referanseTilDokumentbeskrivelse',
    tx('mdk', 'systemID', r.systemID) +
      s(ekstern('mdk', 'referanseEksternNoekkel', r.referanseEksternNoekkel)),
  );
  const d = x.dokumentobjekt;
  const obj = el(
    'dob',
    'dokumentobjekt',
    join([
      tx('am', 'versjonsnummer', d.versjonsnummer),
      s(kode('am', 'variantformat', d.variantformat)),
      s(kode('am', 'format', d.format)),
      tx('am', 'filnavn', d.filnavn),
      tx('am', 'referanseDokumentfil', d.referanseDokumentfil),
    ]),
  );
  return root('dob', 'dokumentobjektOpprett', ref + obj, ['mdk', 'am']);
}

// ---- replies -----------------------------------------------------------------------------

/** Encode an `arkivmeldingKvittering` (arkivmelding.opprett.kvittering). */
export function encodeArkivmeldingKvittering(x: ArkivmeldingKvittering): string {
  const p = 'kv';
  const feil = (name: string, f: Feilmelding) =>
    el(p, name, tx('fb', 'feilId', f.feilId) + tx('fb', 'feilmelding', f.feilmelding));
  let m = '';
  if (x.mappe) {
    m =
      'feilet' in x.mappe
        ? feil('mappeFeilet', x.mappe.feilet)
        : el(
            p,
            'mappeKvittering',
            join([
              tx(p, 'systemID', x.mappe.systemID),
              s(ekstern(p, 'referanseEksternNoekkel', x.mappe.referanseEksternNoekkel)),
              tx(p, 'opprettetEllerEksisterende', x.mappe.opprettetEllerEksisterende),
              tx(p, 'saksaar', x.mappe.saksaar),
              tx(p, 'sakssekvensnummer', x.mappe.sakssekvensnummer),
              tx(p, 'saksdato', x.mappe.saksdato),
            ]),
            xsiType(p, 'saksmappeKvittering'),
          );
  }
  let r = '';
  if (x.registrering) {
    r =
      'feilet' in x.registrering
        ? feil('registreringFeilet', x.registrering.feilet)
        : el(
            p,
            'registreringKvittering',
            join([
              tx(p, 'systemID', x.registrering.systemID),
              s(ekstern(p, 'referanseEksternNoekkel', x.registrering.referanseEksternNoekkel)),
              tx(p, 'opprettetEllerEksisterende', x.registrering.opprettetEllerEksisterende),
              tx(p, 'journalaar', x.registrering.journalaar),
              tx(p, 'journalsekvensnummer', x.registrering.journalsekvensnummer),
              tx(p, 'journalpostnummer', x.registrering.journalpostnummer),
            ]),
            xsiType(p, 'journalpostKvittering'),
          );
  }
  return root(p, 'arkivmeldingKvittering', m + r, ['mdk', 'fb']);
}

function saksmappeResultat(p: Prefix, name: string, x: SaksmappeResultat): string {
  const a = 'as';
  return el(
    p,
    name,
    join([
      tx(a, 'systemID', x.systemID),
      tx(a, 'mappeID', x.mappeID),
      tx(a, 'tittel', x.tittel),
      tx(a, 'opprettetDato', x.opprettetDato),
      tx(a, 'opprettetAv', x.opprettetAv),
      tx(a, 'avsluttetDato', x.avsluttetDato),
      join(x.part.map((pt) => part(a, 'part', pt, a, true))),
      s(skjerming(a, x.skjerming)),
      join(x.klassifikasjon.map((k) => klass(a, k))),
      s(ekstern(a, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
      s(kode(a, 'mappetype', x.mappetype)),
      tx(a, 'saksaar', x.saksaar),
      tx(a, 'sakssekvensnummer', x.sakssekvensnummer),
      tx(a, 'saksdato', x.saksdato),
      s(ident(a, 'administrativEnhet', x.administrativEnhet)) || el(a, 'administrativEnhet', ''),
      s(ident(a, 'saksansvarlig', x.saksansvarlig)) || el(a, 'saksansvarlig', ''),
      s(kode(a, 'saksstatus', x.saksstatus)),
    ]),
  );
}

function journalpostResultat(p: Prefix, name: string, x: JournalpostResultat): string {
  const a = 'as';
  return el(
    p,
    name,
    join([
      tx(a, 'systemID', x.systemID),
      tx(a, 'opprettetDato', x.opprettetDato),
      tx(a, 'opprettetAv', x.opprettetAv),
      s(refMappe(a, 'referanseForelderMappe', x.referanseForelderMappe)),
      tx(a, 'tittel', x.tittel),
      join(x.korrespondansepart.map((k) => korrpart(a, k))),
      s(ekstern(a, 'referanseEksternNoekkel', x.referanseEksternNoekkel)),
      tx(a, 'journalaar', x.journalaar),
      tx(a, 'journalsekvensnummer', x.journalsekvensnummer),
      tx(a, 'journalpostnummer', x.journalpostnummer),
      s(kode(a, 'journalposttype', x.journalposttype)),
      s(kode(a, 'journalstatus', x.journalstatus)),
      tx(a, 'journaldato', x.journaldato),
    ]),
  );
}

/** Encode a `mappeHentResultat`. */
export function encodeMappeHentResultat(x: MappeHentResultat): string {
  return root(
    'mhr',
    'mappeHentResultat',
    x.saksmappe ? saksmappeResultat('mhr', 'saksmappe', x.saksmappe) : '',
    ['as', 'mdk'],
  );
}

/** Encode a `registreringHentResultat`. */
export function encodeRegistreringHentResultat(x: RegistreringHentResultat): string {
  return root(
    'rhr',
    'registreringHentResultat',
    x.journalpost ? journalpostResultat('rhr', 'journalpost', x.journalpost) : '',
    ['as', 'mdk'],
  );
}

/** Encode a `sokeresultat` (sok.resultat.utvidet) of saksmapper. */
export function encodeSokeresultatUtvidet(x: SokeresultatUtvidet): string {
  const p = 'sru';
  const inner = join([
    tx(p, 'system', x.system),
    tx(p, 'take', x.take),
    tx(p, 'skip', x.skip),
    tx(p, 'count', x.count),
    tx(p, 'resultattype', x.resultattype),
    el(
      p,
      'resultatListe',
      join(x.saksmapper.map((m) => el(p, 'resultat', saksmappeResultat(p, 'saksmappe', m)))),
    ),
  ]);
  return root(p, 'sokeresultat', inner, ['as', 'mdk']);
}

/** Encode a `sokeresultatNoekler` (sok.resultat.noekler) of saksmapper. */
export function encodeSokeresultatNoekler(x: SokeresultatNoekler): string {
  const p = 'srn';
  const a = 'asn';
  const inner = join([
    tx(p, 'system', x.system),
    tx(p, 'take', x.take),
    tx(p, 'skip', x.skip),
    tx(p, 'count', x.count),
    tx(p, 'resultattype', x.resultattype),
    el(
      p,
      'resultatListe',
      join(
        x.saksmapper.map((m) =>
          el(
            p,
            'resultatNoekler',
            el(
              p,
              'saksmappe',
              join([
                tx(a, 'systemID', m.systemID),
                tx(a, 'mappeID', m.mappeID),
                s(ekstern(a, 'referanseEksternNoekkel', m.referanseEksternNoekkel)),
                m.saksnummer
                  ? el(
                      a,
                      'saksnummer',
                      tx('mdk', 'saksaar', m.saksnummer.saksaar) +
                        tx('mdk', 'sakssekvensnummer', m.saksnummer.sakssekvensnummer),
                    )
                  : '',
              ]),
            ),
          ),
        ),
      ),
    ),
  ]);
  return root(p, 'sokeresultatNoekler', inner, ['asn', 'mdk']);
}

const FEIL_ROOT: Record<string, [Prefix, string]> = {
  [T.ugyldigforespoersel]: ['fu', 'ugyldigforespoersel'],
  [T.ikkefunnet]: ['fi', 'ikkefunnet'],
  [T.serverfeil]: ['fs', 'serverfeil'],
};

/** Encode one of the three error replies. */
export function encodeFeilmelding(type: string, x: Feilmelding): string {
  const r = FEIL_ROOT[type];
  if (!r) throw new TypeError(`${type} is not a Fiks Arkiv error message type`);
  return root(r[0], r[1], tx('fb', 'feilId', x.feilId) + tx('fb', 'feilmelding', x.feilmelding), ['fb']);
}

// ---- decoding ------------------------------------------------------------------------------

function parseRoot(xml: string | Uint8Array, rootName: string, ctx: ReadContext): Node {
  const doc = parseXml(decodeXmlBytes(xml), { system: 'noark', record: ctx.record });
  const r = doc[rootName];
  if (r === undefined) {
    const found = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('@_'));
    throw invalid(ctx, `expected root <${rootName}>, found <${found[0] ?? 'nothing'}>`);
  }
  return typeof r === 'object' && r !== null ? (r as Node) : {};
}

const rKode = (n: Node | undefined, key: string, ctx: ReadContext): Kode | undefined => {
  const k = obj(n, key);
  if (!k) return undefined;
  const out: Kode = { kode: reqText(k, 'kode', ctx) };
  const b = text(k, 'beskrivelse');
  if (b !== undefined) out.beskrivelse = b;
  return out;
};

const rEkstern = (n: Node | undefined, key: string, ctx: ReadContext): EksternNoekkel | undefined => {
  const e = obj(n, key);
  return e && { fagsystem: reqText(e, 'fagsystem', ctx), noekkel: reqText(e, 'noekkel', ctx) };
};

function rIdent(n: Node | undefined, key: string): Identifikatorer | undefined {
  const i = obj(n, key);
  if (!i) return undefined;
  return clean({
    navn: text(i, 'navn'),
    identifikator: text(i, 'identifikator'),
    initialer: text(i, 'initialer'),
    epostadresse: text(i, 'epostadresse'),
  });
}

/** Drop undefined fields so decoded objects compare equal to hand-built ones. */
function clean<O extends object>(o: O): O {
  for (const k of Object.keys(o) as (keyof O)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function rRefMappe(n: Node | undefined, key: string, ctx: ReadContext): ReferanseTilMappe | undefined {
  const r = obj(n, key);
  if (!r) return undefined;
  const sn = obj(r, 'saksnummer');
  return clean({
    systemID: text(r, 'systemID'),
    mappeID: text(r, 'mappeID'),
    saksnummer: sn && {
      saksaar: int(sn, 'saksaar', ctx) ?? 0,
      sakssekvensnummer: int(sn, 'sakssekvensnummer', ctx) ?? 0,
    },
    referanseEksternNoekkel: rEkstern(r, 'referanseEksternNoekkel', ctx),
  });
}

function rRefReg(n: Node | undefined, key: string, ctx: ReadContext): ReferanseTilRegistrering | undefined {
  const r = obj(n, key);
  if (!r) return undefined;
  return clean({
    systemID: text(r, 'systemID'),
    registreringsID: text(r, 'registreringsID'),
    referanseEksternNoekkel: rEkstern(r, 'referanseEksternNoekkel', ctx),
  });
}

function rPart(n: Node, ctx: ReadContext): Part {
  const org = obj(n, 'organisasjonID');
  const pers = obj(n, 'personID');
  return clean({
    partID: text(n, 'partID'),
    partNavn: reqText(n, 'partNavn', ctx),
    partRolle: rKode(n, 'partRolle', ctx),
    organisasjonID:
      org && clean({ identifikator: reqText(org, 'identifikator', ctx), landkode: text(org, 'landkode') }),
    personID: pers && {
      landkode: reqText(pers, 'landkode', ctx),
      identifikator: reqText(pers, 'identifikator', ctx),
    },
    postadresse: texts(n, 'postadresse'),
    postnummer: text(n, 'postnummer'),
    poststed: text(n, 'poststed'),
    erSkjermet: bool(n, 'erSkjermet', ctx),
    erPersonnavn: bool(n, 'erPersonnavn', ctx),
  });
}

function rKorrpart(n: Node, ctx: ReadContext): Korrespondansepart {
  return clean({
    korrespondansepartID: text(n, 'korrespondansepartID'),
    korrespondanseparttype: rKode(n, 'korrespondanseparttype', ctx) ?? {
      kode: reqText(n, 'korrespondanseparttype', ctx),
    },
    erBehandlingsansvarlig: bool(n, 'erBehandlingsansvarlig', ctx),
    korrespondansepartNavn: reqText(n, 'korrespondansepartNavn', ctx),
    organisasjonid: text(n, 'organisasjonid'),
    personid: text(n, 'personid'),
    postadresse: texts(n, 'postadresse'),
    postnummer: text(n, 'postnummer'),
    poststed: text(n, 'poststed'),
    administrativEnhet: rIdent(n, 'administrativEnhet'),
    saksbehandler: rIdent(n, 'saksbehandler'),
    erSkjermet: bool(n, 'erSkjermet', ctx),
  });
}

function rSkjerming(n: Node | undefined, ctx: ReadContext): Skjerming | undefined {
  const sk = obj(n, 'skjerming');
  if (!sk) return undefined;
  return {
    tilgangsrestriksjon: rKode(sk, 'tilgangsrestriksjon', ctx) ?? {
      kode: reqText(sk, 'tilgangsrestriksjon', ctx),
    },
    skjermingshjemmel: reqText(sk, 'skjermingshjemmel', ctx),
  };
}

function rKlass(n: Node, ctx: ReadContext): Klassifikasjon {
  return clean({
    klassifikasjonssystemID: text(n, 'klassifikasjonssystemID'),
    klasseID: reqText(n, 'klasseID', ctx),
    tittel: text(n, 'tittel'),
    erSkjermet: bool(n, 'erSkjermet', ctx),
  });
}

function rDokobj(n: Node, ctx: ReadContext): Dokumentobjekt {
  return clean({
    versjonsnummer: int(n, 'versjonsnummer', ctx),
    variantformat: rKode(n, 'variantformat', ctx),
    format: rKode(n, 'format', ctx),
    filnavn: reqText(n, 'filnavn', ctx),
    referanseDokumentfil: reqText(n, 'referanseDokumentfil', ctx),
  });
}

function rMappe(n: Node, ctx: ReadContext): MappeMelding {
  const type = typeOf(n) === 'saksmappe' ? 'saksmappe' : 'mappe';
  return clean({
    type,
    systemID: text(n, 'systemID'),
    tittel: reqText(n, 'tittel', ctx),
    offentligTittel: text(n, 'offentligTittel'),
    part: objs(n, 'part').map((p) => rPart(p, ctx)),
    skjerming: rSkjerming(n, ctx),
    klassifikasjon: objs(n, 'klassifikasjon').map((k) => rKlass(k, ctx)),
    referanseEksternNoekkel: rEkstern(n, 'referanseEksternNoekkel', ctx),
    mappetype: rKode(n, 'mappetype', ctx),
    saksaar: int(n, 'saksaar', ctx),
    sakssekvensnummer: int(n, 'sakssekvensnummer', ctx),
    saksdato: text(n, 'saksdato'),
    administrativEnhet: rIdent(n, 'administrativEnhet'),
    saksansvarlig: rIdent(n, 'saksansvarlig'),
    saksstatus: rKode(n, 'saksstatus', ctx),
  } as MappeMelding);
}

function rRegistrering(n: Node, ctx: ReadContext): RegistreringMelding {
  const type = typeOf(n) === 'journalpost' ? 'journalpost' : 'registrering';
  return clean({
    type,
    opprettetAv: text(n, 'opprettetAv'),
    arkivertAv: text(n, 'arkivertAv'),
    referanseForelderMappe: rRefMappe(n, 'referanseForelderMappe', ctx),
    part: objs(n, 'part').map((p) => rPart(p, ctx)),
    dokumentbeskrivelse: objs(n, 'dokumentbeskrivelse').map((d) =>
      clean({
        dokumenttype: rKode(d, 'dokumenttype', ctx),
        dokumentstatus: rKode(d, 'dokumentstatus', ctx),
        tittel: reqText(d, 'tittel', ctx),
        tilknyttetRegistreringSom: rKode(d, 'tilknyttetRegistreringSom', ctx) ?? {
          kode: reqText(d, 'tilknyttetRegistreringSom', ctx),
        },
        dokumentnummer: int(d, 'dokumentnummer', ctx),
        dokumentobjekt: objs(d, 'dokumentobjekt').map((o) => rDokobj(o, ctx)),
      }),
    ),
    tittel: reqText(n, 'tittel', ctx),
    offentligTittel: text(n, 'offentligTittel'),
    korrespondansepart: objs(n, 'korrespondansepart').map((k) => rKorrpart(k, ctx)),
    referanseEksternNoekkel: rEkstern(n, 'referanseEksternNoekkel', ctx),
    journalposttype: rKode(n, 'journalposttype', ctx),
    journalstatus: rKode(n, 'journalstatus', ctx),
    journaldato: text(n, 'journaldato'),
    dokumentetsDato: text(n, 'dokumentetsDato'),
    mottattDato: text(n, 'mottattDato'),
    avskrivningsdato: text(n, 'avskrivningsdato'),
  } as RegistreringMelding);
}

/** Decode an `arkivmelding` (arkivmelding.opprett). Throws UpstreamInvalidError when a required element is missing. */
export function decodeArkivmelding(xml: string | Uint8Array, record?: string): Arkivmelding {
  const ctx = { messageType: T.arkivmeldingOpprett, record };
  const r = parseRoot(xml, 'arkivmelding', ctx);
  const m = obj(r, 'mappe');
  const g = obj(r, 'registrering');
  return clean({
    system: reqText(r, 'system', ctx),
    regel: text(r, 'regel'),
    antallFiler: int(r, 'antallFiler', ctx) ?? 0,
    mappe: m && rMappe(m, ctx),
    registrering: g && rRegistrering(g, ctx),
  });
}

function rPartOppdateringer(n: Node | undefined, ctx: ReadContext): PartOppdateringer | undefined {
  const po = obj(n, 'partOppdateringer');
  if (!po) return undefined;
  return {
    oppdatering: objs(po, 'oppdatering').map((o) =>
      clean({
        partID: reqText(o, 'partID', ctx),
        partNavn: text(o, 'partNavn'),
        partRolle: rKode(o, 'partRolle', ctx),
        organisasjonid: text(o, 'organisasjonid'),
        personid: text(o, 'personid'),
        postadresse: o.postadresse === undefined ? undefined : texts(o, 'postadresse'),
        postnummer: text(o, 'postnummer'),
        poststed: text(o, 'poststed'),
        erSkjermet: bool(o, 'erSkjermet', ctx),
        erPersonnavn: bool(o, 'erPersonnavn', ctx),
      }),
    ),
    slett: objs(po, 'slett').map((d) => ({ partID: reqText(d, 'partID', ctx) })),
    ny: objs(po, 'ny').map((p) => rPart(p, ctx)),
  };
}

function rKlassOppdateringer(n: Node | undefined, ctx: ReadContext): KlassifikasjonOppdateringer | undefined {
  const ko = obj(n, 'klassifikasjonOppdateringer');
  if (!ko) return undefined;
  const ref = (x: Node) => {
    const r = reqObj(x, 'referanseTilKlassifikasjon', ctx);
    return {
      klassifikasjonssystemID: reqText(r, 'klassifikasjonssystemID', ctx),
      klasseID: reqText(r, 'klasseID', ctx),
    };
  };
  return {
    oppdatering: objs(ko, 'oppdatering').map((o) =>
      clean({ referanseTilKlassifikasjon: ref(o), tittel: text(o, 'tittel') }),
    ),
    slett: objs(ko, 'slett').map((d) => ({ referanseTilKlassifikasjon: ref(d) })),
    ny: objs(ko, 'ny').map((k) => rKlass(k, ctx)),
  };
}

/** Decode an `arkivmeldingOppdatering` (arkivmelding.oppdater). */
export function decodeArkivmeldingOppdatering(
  xml: string | Uint8Array,
  record?: string,
): ArkivmeldingOppdatering {
  const ctx = { messageType: T.arkivmeldingOppdater, record };
  const r = parseRoot(xml, 'arkivmeldingOppdatering', ctx);
  const m = obj(r, 'mappeOppdateringer');
  const g = obj(r, 'registreringOppdateringer');
  if (!m && !g) throw invalid(ctx, 'expected <mappeOppdateringer> or <registreringOppdateringer>');
  if (m) {
    return {
      mappe: clean({
        type: typeOf(m) === 'saksmappeOppdatering' ? 'saksmappe' : 'mappe',
        referanseTilMappe: rRefMappe(m, 'referanseTilMappe', ctx) ?? {},
        tittel: text(m, 'tittel'),
        partOppdateringer: rPartOppdateringer(m, ctx),
        klassifikasjonOppdateringer: rKlassOppdateringer(m, ctx),
        referanseEksternNoekkel: rEkstern(m, 'referanseEksternNoekkel', ctx),
        saksstatus: rKode(m, 'saksstatus', ctx),
      } as MappeOppdatering),
    };
  }
  const gg = g as Node;
  return {
    registrering: clean({
      type: typeOf(gg) === 'journalpostOppdatering' ? 'journalpost' : 'registrering',
      referanseTilRegistrering: rRefReg(gg, 'referanseTilRegistrering', ctx) ?? {},
      partOppdateringer: rPartOppdateringer(gg, ctx),
      tittel: text(gg, 'tittel'),
      referanseEksternNoekkel: rEkstern(gg, 'referanseEksternNoekkel', ctx),
      journalstatus: rKode(gg, 'journalstatus', ctx),
    } as RegistreringOppdatering),
  };
}

/** Decode a `sok`. */
export function decodeSok(xml: string | Uint8Array, record?: string): Sok {
  const ctx = { messageType: T.sok, record };
  const r = parseRoot(xml, 'sok', ctx);
  const d = reqObj(r, 'sokdefinisjon', ctx);
  const type = typeOf(d) ?? 'mappeSokdefinisjon';
  const parametere = objs(d, 'parametere').map((p): SokParameter => {
    const v = reqObj(p, 'sokVerdier', ctx);
    const sv = obj(v, 'stringvalues');
    const dv = obj(v, 'datevalues');
    const iv = obj(v, 'intvalues');
    const ev = obj(v, 'eksternNoekkel');
    const sokVerdier: SokParameter['sokVerdier'] = sv
      ? { stringvalues: texts(sv, 'value') }
      : dv
        ? { datevalues: texts(dv, 'value') }
        : iv
          ? { intvalues: texts(iv, 'value').map(Number) }
          : ev
            ? {
                eksternNoekkel: {
                  fagsystem: reqText(ev, 'fagsystem', ctx),
                  noekkel: reqText(ev, 'noekkel', ctx),
                },
              }
            : (() => {
                throw invalid(ctx, 'unsupported <sokVerdier>');
              })();
    return {
      operator: reqText(p, 'operator', ctx) as SokParameter['operator'],
      felt: reqText(p, 'felt', ctx),
      sokVerdier,
    };
  });
  const sortering = objs(d, 'sortering').map((o) => ({
    felt: reqText(o, 'felt', ctx),
    retning: (text(o, 'retning') ?? 'stigende') as 'stigende' | 'synkende',
  }));
  return {
    system: reqText(r, 'system', ctx),
    take: int(r, 'take', ctx) ?? 0,
    skip: int(r, 'skip', ctx) ?? 0,
    sokdefinisjon: clean({
      type: type as Sok['sokdefinisjon']['type'],
      responstype: (text(d, 'responstype') ?? 'minimum') as Sok['sokdefinisjon']['responstype'],
      parametere,
      sortering: sortering.length ? sortering : undefined,
    }),
  };
}

/** Decode a `mappeHent`. */
export function decodeMappeHent(xml: string | Uint8Array, record?: string): MappeHent {
  const ctx = { messageType: T.mappeHent, record };
  const r = parseRoot(xml, 'mappeHent', ctx);
  return {
    system: reqText(r, 'system', ctx),
    referanseTilMappe:
      rRefMappe(r, 'referanseTilMappe', ctx) ??
      (() => {
        throw invalid(ctx, '<referanseTilMappe> is required');
      })(),
    inkluder: texts(r, 'inkluder'),
  };
}

/** Decode a `registreringHent`. */
export function decodeRegistreringHent(xml: string | Uint8Array, record?: string): RegistreringHent {
  const ctx = { messageType: T.registreringHent, record };
  const r = parseRoot(xml, 'registreringHent', ctx);
  return {
    system: reqText(r, 'system', ctx),
    referanseTilRegistrering:
      rRefReg(r, 'referanseTilRegistrering', ctx) ??
      (() => {
        throw invalid(ctx, '<referanseTilRegistrering> is required');
      })(),
    inkluder: texts(r, 'inkluder'),
  };
}

/** Decode a `nyAvskrivning`. */
export function decodeNyAvskrivning(xml: string | Uint8Array, record?: string): NyAvskrivning {
  const ctx = { messageType: T.avskrivningOpprett, record };
  const r = parseRoot(xml, 'nyAvskrivning', ctx);
  const a = reqObj(r, 'avskrivning', ctx);
  return {
    avskrivning: {
      avskrivningsdato: reqText(a, 'avskrivningsdato', ctx),
      avskrevetAv: rIdent(a, 'avskrevetAv') ?? {},
      avskrivningsmaate: rKode(a, 'avskrivningsmaate', ctx) ?? { kode: reqText(a, 'avskrivningsmaate', ctx) },
    },
    referanseTilJournalpost: rRefReg(r, 'referanseTilJournalpost', ctx) ?? {},
    korrespondansepartID: reqText(r, 'korrespondansepartID', ctx),
  };
}

/** Decode a `dokumentobjektOpprett`. */
export function decodeDokumentobjektOpprett(
  xml: string | Uint8Array,
  record?: string,
): DokumentobjektOpprett {
  const ctx = { messageType: T.dokumentobjektOpprett, record };
  const r = parseRoot(xml, 'dokumentobjektOpprett', ctx);
  const ref = reqObj(r, 'referanseTilDokumentbeskrivelse', ctx);
  return {
    referanseTilDokumentbeskrivelse: clean({
      systemID: text(ref, 'systemID'),
      referanseEksternNoekkel: rEkstern(ref, 'referanseEksternNoekkel', ctx),
    }),
    dokumentobjekt: rDokobj(reqObj(r, 'dokumentobjekt', ctx), ctx),
  };
}

/** Decode an `arkivmeldingKvittering`. */
export function decodeArkivmeldingKvittering(
  xml: string | Uint8Array,
  record?: string,
): ArkivmeldingKvittering {
  const ctx = { messageType: T.arkivmeldingOpprettKvittering, record };
  const r = parseRoot(xml, 'arkivmeldingKvittering', ctx);
  const feil = (n: Node) => ({
    feilId: reqText(n, 'feilId', ctx),
    feilmelding: reqText(n, 'feilmelding', ctx),
  });
  const out: ArkivmeldingKvittering = {};
  const mk = obj(r, 'mappeKvittering');
  const mf = obj(r, 'mappeFeilet');
  if (mk) {
    const v = text(mk, 'opprettetEllerEksisterende');
    if (v !== 'Opprettet' && v !== 'Eksisterende')
      throw invalid(ctx, '<opprettetEllerEksisterende> must be Opprettet or Eksisterende');
    out.mappe = clean({
      systemID: reqText(mk, 'systemID', ctx),
      referanseEksternNoekkel: rEkstern(mk, 'referanseEksternNoekkel', ctx),
      opprettetEllerEksisterende: v as 'Opprettet' | 'Eksisterende',
      saksaar: int(mk, 'saksaar', ctx),
      sakssekvensnummer: int(mk, 'sakssekvensnummer', ctx),
      saksdato: text(mk, 'saksdato'),
    });
  } else if (mf) out.mappe = { feilet: feil(mf) };
  const rk = obj(r, 'registreringKvittering');
  const rf = obj(r, 'registreringFeilet');
  if (rk) {
    const v = text(rk, 'opprettetEllerEksisterende');
    if (v !== 'Opprettet' && v !== 'Eksisterende')
      throw invalid(ctx, '<opprettetEllerEksisterende> must be Opprettet or Eksisterende');
    out.registrering = clean({
      systemID: reqText(rk, 'systemID', ctx),
      referanseEksternNoekkel: rEkstern(rk, 'referanseEksternNoekkel', ctx),
      opprettetEllerEksisterende: v as 'Opprettet' | 'Eksisterende',
      journalaar: int(rk, 'journalaar', ctx),
      journalsekvensnummer: int(rk, 'journalsekvensnummer', ctx),
      journalpostnummer: int(rk, 'journalpostnummer', ctx),
    });
  } else if (rf) out.registrering = { feilet: feil(rf) };
  return out;
}

function rSaksmappeResultat(n: Node, ctx: ReadContext): SaksmappeResultat {
  return clean({
    systemID: reqText(n, 'systemID', ctx),
    mappeID: reqText(n, 'mappeID', ctx),
    tittel: reqText(n, 'tittel', ctx),
    opprettetDato: reqText(n, 'opprettetDato', ctx),
    opprettetAv: reqText(n, 'opprettetAv', ctx),
    avsluttetDato: text(n, 'avsluttetDato'),
    part: objs(n, 'part').map((p) => {
      const x = rPart(p, ctx);
      return { ...x, partRolle: x.partRolle ?? { kode: 'PART' } };
    }),
    skjerming: rSkjerming(n, ctx),
    klassifikasjon: objs(n, 'klassifikasjon').map((k) => {
      const x = rKlass(k, ctx);
      return {
        ...x,
        klassifikasjonssystemID: x.klassifikasjonssystemID ?? reqText(k, 'klassifikasjonssystemID', ctx),
      };
    }),
    referanseEksternNoekkel: rEkstern(n, 'referanseEksternNoekkel', ctx),
    mappetype: rKode(n, 'mappetype', ctx),
    saksaar: int(n, 'saksaar', ctx) ?? Number(reqText(n, 'saksaar', ctx)),
    sakssekvensnummer: int(n, 'sakssekvensnummer', ctx) ?? Number(reqText(n, 'sakssekvensnummer', ctx)),
    saksdato: reqText(n, 'saksdato', ctx),
    administrativEnhet: rIdent(n, 'administrativEnhet') ?? {},
    saksansvarlig: rIdent(n, 'saksansvarlig') ?? {},
    saksstatus: rKode(n, 'saksstatus', ctx) ?? { kode: reqText(n, 'saksstatus', ctx) },
  });
}

function rJournalpostResultat(n: Node, ctx: ReadContext): JournalpostResultat {
  return clean({
    systemID: reqText(n, 'systemID', ctx),
    opprettetDato: reqText(n, 'opprettetDato', ctx),
    opprettetAv: reqText(n, 'opprettetAv', ctx),
    referanseForelderMappe: rRefMappe(n, 'referanseForelderMappe', ctx),
    tittel: reqText(n, 'tittel', ctx),
    korrespondansepart: objs(n, 'korrespondansepart').map((k) => {
      const x = rKorrpart(k, ctx);
      return {
        ...x,
        korrespondansepartID: x.korrespondansepartID ?? reqText(k, 'korrespondansepartID', ctx),
      };
    }),
    referanseEksternNoekkel: rEkstern(n, 'referanseEksternNoekkel', ctx),
    journalaar: int(n, 'journalaar', ctx) ?? 0,
    journalsekvensnummer: int(n, 'journalsekvensnummer', ctx) ?? 0,
    journalpostnummer: int(n, 'journalpostnummer', ctx) ?? 0,
    journalposttype: rKode(n, 'journalposttype', ctx) ?? { kode: reqText(n, 'journalposttype', ctx) },
    journalstatus: rKode(n, 'journalstatus', ctx) ?? { kode: reqText(n, 'journalstatus', ctx) },
    journaldato: reqText(n, 'journaldato', ctx),
  });
}

/** Decode a `mappeHentResultat`. */
export function decodeMappeHentResultat(xml: string | Uint8Array, record?: string): MappeHentResultat {
  const ctx = { messageType: T.mappeHentResultat, record };
  const r = parseRoot(xml, 'mappeHentResultat', ctx);
  const m = obj(r, 'saksmappe');
  return m ? { saksmappe: rSaksmappeResultat(m, ctx) } : {};
}

/** Decode a `registreringHentResultat`. */
export function decodeRegistreringHentResultat(
  xml: string | Uint8Array,
  record?: string,
): RegistreringHentResultat {
  const ctx = { messageType: T.registreringHentResultat, record };
  const r = parseRoot(xml, 'registreringHentResultat', ctx);
  const j = obj(r, 'journalpost');
  return j ? { journalpost: rJournalpostResultat(j, ctx) } : {};
}

/** Decode a `sokeresultat` (utvidet). Results that are not saksmapper are refused. */
export function decodeSokeresultatUtvidet(xml: string | Uint8Array, record?: string): SokeresultatUtvidet {
  const ctx = { messageType: T.sokResultatUtvidet, record };
  const r = parseRoot(xml, 'sokeresultat', ctx);
  const type = reqText(r, 'resultattype', ctx);
  if (type !== 'saksmappe') throw invalid(ctx, `expected resultattype saksmappe, got ${type}`);
  return {
    system: reqText(r, 'system', ctx),
    take: int(r, 'take', ctx) ?? 0,
    skip: int(r, 'skip', ctx) ?? 0,
    count: int(r, 'count', ctx) ?? 0,
    resultattype: 'saksmappe',
    saksmapper: objs(obj(r, 'resultatListe'), 'resultat').map((x) =>
      rSaksmappeResultat(reqObj(x, 'saksmappe', ctx), ctx),
    ),
  };
}

/** Decode a `sokeresultatNoekler`. */
export function decodeSokeresultatNoekler(xml: string | Uint8Array, record?: string): SokeresultatNoekler {
  const ctx = { messageType: T.sokResultatNoekler, record };
  const r = parseRoot(xml, 'sokeresultatNoekler', ctx);
  const type = reqText(r, 'resultattype', ctx);
  if (type !== 'saksmappe') throw invalid(ctx, `expected resultattype saksmappe, got ${type}`);
  return {
    system: reqText(r, 'system', ctx),
    take: int(r, 'take', ctx) ?? 0,
    skip: int(r, 'skip', ctx) ?? 0,
    count: int(r, 'count', ctx) ?? 0,
    resultattype: 'saksmappe',
    saksmapper: objs(obj(r, 'resultatListe'), 'resultatNoekler').map((x) => {
      const m = reqObj(x, 'saksmappe', ctx);
      const sn = obj(m, 'saksnummer');
      return clean({
        systemID: text(m, 'systemID'),
        mappeID: text(m, 'mappeID'),
        referanseEksternNoekkel: rEkstern(m, 'referanseEksternNoekkel', ctx),
        saksnummer: sn && {
          saksaar: int(sn, 'saksaar', ctx) ?? 0,
          sakssekvensnummer: int(sn, 'sakssekvensnummer', ctx) ?? 0,
        },
      });
    }),
  };
}

/** Decode one of the three error replies. */
export function decodeFeilmelding(type: string, xml: string | Uint8Array, record?: string): Feilmelding {
  const r0 = FEIL_ROOT[type];
  const ctx = { messageType: type, record };
  if (!r0) throw invalid(ctx, 'not an error message type');
  const r = parseRoot(xml, r0[1], ctx);
  return { feilId: reqText(r, 'feilId', ctx), feilmelding: reqText(r, 'feilmelding', ctx) };
}

/** A codec for one message type's payload. */
export interface FiksArkivCodec<B> {
  encode(body: B): string;
  decode(xml: string | Uint8Array, record?: string): B;
}

/** Codecs by message type, for generic handling (the simulator, the round-trip tests). */
export const FIKS_ARKIV_CODECS = {
  [T.arkivmeldingOpprett]: {
    encode: encodeArkivmelding,
    decode: decodeArkivmelding,
  } as FiksArkivCodec<Arkivmelding>,
  [T.arkivmeldingOppdater]: {
    encode: encodeArkivmeldingOppdatering,
    decode: decodeArkivmeldingOppdatering,
  } as FiksArkivCodec<ArkivmeldingOppdatering>,
  [T.arkivmeldingOpprettKvittering]: {
    encode: encodeArkivmeldingKvittering,
    decode: decodeArkivmeldingKvittering,
  } as FiksArkivCodec<ArkivmeldingKvittering>,
  [T.avskrivningOpprett]: {
    encode: encodeNyAvskrivning,
    decode: decodeNyAvskrivning,
  } as FiksArkivCodec<NyAvskrivning>,
  [T.dokumentobjektOpprett]: {
    encode: encodeDokumentobjektOpprett,
    decode: decodeDokumentobjektOpprett,
  } as FiksArkivCodec<DokumentobjektOpprett>,
  [T.sok]: { encode: encodeSok, decode: decodeSok } as FiksArkivCodec<Sok>,
  [T.sokResultatUtvidet]: {
    encode: encodeSokeresultatUtvidet,
    decode: decodeSokeresultatUtvidet,
  } as FiksArkivCodec<SokeresultatUtvidet>,
  [T.sokResultatNoekler]: {
    encode: encodeSokeresultatNoekler,
    decode: decodeSokeresultatNoekler,
  } as FiksArkivCodec<SokeresultatNoekler>,
  [T.mappeHent]: { encode: encodeMappeHent, decode: decodeMappeHent } as FiksArkivCodec<MappeHent>,
  [T.mappeHentResultat]: {
    encode: encodeMappeHentResultat,
    decode: decodeMappeHentResultat,
  } as FiksArkivCodec<MappeHentResultat>,
  [T.registreringHent]: {
    encode: encodeRegistreringHent,
    decode: decodeRegistreringHent,
  } as FiksArkivCodec<RegistreringHent>,
  [T.registreringHentResultat]: {
    encode: encodeRegistreringHentResultat,
    decode: decodeRegistreringHentResultat,
  } as FiksArkivCodec<RegistreringHentResultat>,
  [T.ugyldigforespoersel]: {
    encode: (b: Feilmelding) => encodeFeilmelding(T.ugyldigforespoersel, b),
    decode: (x: string | Uint8Array, r?: string) => decodeFeilmelding(T.ugyldigforespoersel, x, r),
  } as FiksArkivCodec<Feilmelding>,
  [T.ikkefunnet]: {
    encode: (b: Feilmelding) => encodeFeilmelding(T.ikkefunnet, b),
    decode: (x: string | Uint8Array, r?: string) => decodeFeilmelding(T.ikkefunnet, x, r),
  } as FiksArkivCodec<Feilmelding>,
  [T.serverfeil]: {
    encode: (b: Feilmelding) => encodeFeilmelding(T.serverfeil, b),
    decode: (x: string | Uint8Array, r?: string) => decodeFeilmelding(T.serverfeil, x, r),
  } as FiksArkivCodec<Feilmelding>,
} as const;
