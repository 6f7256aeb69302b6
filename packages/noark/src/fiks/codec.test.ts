import { readFileSync } from 'node:fs';
import { hasErrorCode } from '@registerbro/model';
import { specPath, validateXml } from '@registerbro/testkit';
import { describe, expect, it } from 'vitest';
import {
  FIKS_ARKIV_CODECS,
  decodeArkivmelding,
  decodeArkivmeldingKvittering,
  encodeArkivmelding,
} from './codec.js';
import { FiksArkivMessageTypes as T, fiksArkivXsdFile } from './message-types.js';
import type { SaksmappeResultat } from './model.js';

const xsd = (type: string) => specPath('arkiv', 'fiks-arkiv', 'schema', 'V1', fiksArkivXsdFile(type));
const ext = { fagsystem: 'registerbro', noekkel: 'f4-konsesjon-1806-12-3-0-0' };
// Synthetic (Tenor-style) test identifier: month + 80.
const SYNTH_FNR = '01897612345';

const saksmappe: SaksmappeResultat = {
  systemID: '3f1c2a40-0000-4000-8000-000000000001',
  mappeID: '2026/17',
  tittel: 'Konsesjon — 12/3',
  opprettetDato: '2026-01-02T10:00:00Z',
  opprettetAv: 'registerbro',
  part: [
    {
      partID: 'p-1',
      partNavn: 'Kari Nordmann',
      partRolle: { kode: 'Hjemmelshaver' },
      personID: { landkode: 'NO', identifikator: SYNTH_FNR },
      postadresse: ['Storgata 1'],
      postnummer: '8514',
      poststed: 'NARVIK',
    },
  ],
  klassifikasjon: [{ klassifikasjonssystemID: 'GBNR', klasseID: '1806-12/3/0/0', tittel: '12/3' }],
  referanseEksternNoekkel: ext,
  saksaar: 2026,
  sakssekvensnummer: 17,
  saksdato: '2026-01-02',
  administrativEnhet: { navn: 'Landbruk' },
  saksansvarlig: { navn: 'Saksbehandler' },
  saksstatus: { kode: 'B', beskrivelse: 'Under behandling' },
};

const samples: [string, unknown][] = [
  [
    T.arkivmeldingOpprettKvittering,
    {
      mappe: {
        systemID: saksmappe.systemID,
        referanseEksternNoekkel: ext,
        opprettetEllerEksisterende: 'Eksisterende',
        saksaar: 2026,
        sakssekvensnummer: 17,
      },
      registrering: {
        systemID: '3f1c2a40-0000-4000-8000-000000000002',
        opprettetEllerEksisterende: 'Opprettet',
        journalaar: 2026,
        journalsekvensnummer: 5,
        journalpostnummer: 1,
      },
    },
  ],
  [T.arkivmeldingOpprettKvittering, { mappe: { feilet: { feilId: 'f-1', feilmelding: 'Mangler tittel' } } }],
  [
    T.arkivmeldingOppdater,
    {
      mappe: {
        type: 'saksmappe',
        referanseTilMappe: { systemID: saksmappe.systemID },
        partOppdateringer: {
          oppdatering: [
            {
              partID: 'p-1',
              partNavn: 'Kari Nordmann-Li',
              postadresse: ['Fjellveien 2'],
              postnummer: '8514',
              poststed: 'NARVIK',
            },
          ],
          slett: [{ partID: 'p-9' }],
          ny: [{ partNavn: 'Ola Nordmann', partRolle: { kode: 'Part' }, postadresse: [] }],
        },
        klassifikasjonOppdateringer: {
          oppdatering: [],
          slett: [
            { referanseTilKlassifikasjon: { klassifikasjonssystemID: 'GBNR', klasseID: '1854-12/3/0/0' } },
          ],
          ny: [{ klassifikasjonssystemID: 'GBNR', klasseID: '1806-12/3/0/0' }],
        },
        saksstatus: { kode: 'A' },
      },
    },
  ],
  [
    T.arkivmeldingOppdater,
    {
      registrering: {
        type: 'journalpost',
        referanseTilRegistrering: { referanseEksternNoekkel: ext },
        tittel: 'Ny tittel',
        journalstatus: { kode: 'F' },
      },
    },
  ],
  [
    T.sok,
    {
      system: 'registerbro',
      take: 50,
      skip: 0,
      sokdefinisjon: {
        type: 'saksmappeSokdefinisjon',
        responstype: 'utvidet',
        parametere: [
          { operator: 'equal', felt: 'mappeEksternNoekkel', sokVerdier: { eksternNoekkel: ext } },
          {
            operator: 'greaterequal',
            felt: 'mappeEndretDato',
            sokVerdier: { datevalues: ['2026-01-01T00:00:00Z'] },
          },
        ],
      },
    },
  ],
  [
    T.mappeHent,
    {
      system: 'registerbro',
      referanseTilMappe: { saksnummer: { saksaar: 2026, sakssekvensnummer: 17 } },
      inkluder: ['part', 'klasse'],
    },
  ],
  [
    T.registreringHent,
    {
      system: 'registerbro',
      referanseTilRegistrering: { systemID: saksmappe.systemID },
      inkluder: ['korrespondansepart'],
    },
  ],
  [T.mappeHentResultat, { saksmappe }],
  [T.mappeHentResultat, {}],
  [
    T.registreringHentResultat,
    {
      journalpost: {
        systemID: '3f1c2a40-0000-4000-8000-000000000002',
        opprettetDato: '2026-01-02T10:00:00Z',
        opprettetAv: 'registerbro',
        referanseForelderMappe: { systemID: saksmappe.systemID },
        tittel: 'Notat',
        korrespondansepart: [
          {
            korrespondansepartID: 'k-1',
            korrespondanseparttype: { kode: 'IA' },
            korrespondansepartNavn: 'Landbruk',
            postadresse: [],
          },
        ],
        journalaar: 2026,
        journalsekvensnummer: 5,
        journalpostnummer: 1,
        journalposttype: { kode: 'X' },
        journalstatus: { kode: 'J' },
        journaldato: '2026-01-02',
      },
    },
  ],
  [
    T.sokResultatUtvidet,
    { system: 'arkiv', take: 10, skip: 0, count: 1, resultattype: 'saksmappe', saksmapper: [saksmappe] },
  ],
  [
    T.sokResultatNoekler,
    {
      system: 'arkiv',
      take: 10,
      skip: 0,
      count: 1,
      resultattype: 'saksmappe',
      saksmapper: [
        {
          systemID: saksmappe.systemID,
          referanseEksternNoekkel: ext,
          saksnummer: { saksaar: 2026, sakssekvensnummer: 17 },
        },
      ],
    },
  ],
  [T.ugyldigforespoersel, { feilId: 'e-1', feilmelding: 'Meldingen validerer ikke' }],
  [T.ikkefunnet, { feilId: 'e-2', feilmelding: 'Fant ikke mappe' }],
  [T.serverfeil, { feilId: 'e-3', feilmelding: 'Intern feil' }],
];

describe('Fiks Arkiv codec: every message we build validates against its V1 XSD', () => {
  it.each(samples.map(([type, body], i) => [`${i}: ${type}`, type, body] as const))(
    '%s',
    async (_name, type, body) => {
      const codec = (
        FIKS_ARKIV_CODECS as Record<string, { encode(b: unknown): string; decode(x: string): unknown }>
      )[type];
      if (!codec) throw new Error(`no codec for ${type}`);
      const xml = codec.encode(body);
      const result = await validateXml(xml, xsd(type));
      expect(result.valid, result.errors).toBe(true);
      expect(codec.decode(xml)).toEqual(body);
    },
  );
});

describe('Fiks Arkiv codec: reading', () => {
  it('reads the classes and external key of KS example NySaksmappeN2 (UTF-16 with BOM)', () => {
    const bytes = readFileSync(
      specPath(
        'arkiv',
        'fiks-arkiv',
        'examples',
        'no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett--NySaksmappeN2.xml',
      ),
    );
    const m = decodeArkivmelding(bytes);
    expect(m.mappe?.type).toBe('saksmappe');
    expect(m.mappe?.klassifikasjon.map((k) => k.klassifikasjonssystemID)).toEqual(['FH', 'GBN']);
    expect(m.mappe?.tittel).toBe('Tittel på saksmappen');
    expect(m.mappe?.referanseEksternNoekkel?.noekkel).toBe('1-thursday-test-av-arkiv-scenario');
    expect(m.mappe?.skjerming?.tilgangsrestriksjon.kode).toBe('KL');
  });

  it('refuses a message without its required title, naming the message type', () => {
    const xml = encodeArkivmelding({
      system: 'x',
      antallFiler: 0,
      mappe: { type: 'saksmappe', tittel: 'T', part: [], klassifikasjon: [] },
    }).replace('<am:tittel>T</am:tittel>', '');
    expect(() => decodeArkivmelding(xml)).toThrow(/arkivmelding\.opprett: <tittel> is required/);
  });

  it('refuses a reply with the wrong root element as upstream_invalid', () => {
    try {
      decodeArkivmeldingKvittering('<a xmlns="urn:x"/>');
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'upstream_invalid')).toBe(true);
    }
  });

  it('refuses hostile XML (external entity) with a typed error', () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><arkivmelding>&x;</arkivmelding>';
    expect(() => decodeArkivmelding(xml)).toThrow(expect.objectContaining({ code: 'xml_external_entity' }));
  });
});

describe('Fiks Arkiv codec: the XSD check can fail', () => {
  it('xmllint rejects a kvittering with elements out of schema order', async () => {
    const codec = FIKS_ARKIV_CODECS[T.arkivmeldingOpprettKvittering];
    const xml = codec
      .encode({
        mappe: {
          systemID: '3f1c2a40-0000-4000-8000-000000000001',
          opprettetEllerEksisterende: 'Opprettet',
          saksaar: 2026,
        },
      })
      .replace(
        /(<kv:opprettetEllerEksisterende>Opprettet<\/kv:opprettetEllerEksisterende>)(<kv:saksaar>2026<\/kv:saksaar>)/,
        '$2$1',
      );
    const result = await validateXml(xml, xsd(T.arkivmeldingOpprettKvittering));
    expect(result.valid).toBe(false);
  });
});
