import { hasErrorCode, makeFodselsnummer } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import type { TgJournalpostWire, TgSaksmappeWire } from '../wire/tg.js';
import { isFrozenJournalstatus, mappetypeOf, toCase, toRecord } from './to-case.js';

// Synthetic (Tenor-style) identifiers: birth month + 80, valid check digits.
/** A synthetic (Tenor-style, month + 80) fødselsnummer with valid check digits. */
const SYNTH = (() => {
  for (let n = 100; n < 500; n++) {
    const v = makeFodselsnummer({ birthDate: '1976-09-01', individnummer: n, synthetic: true });
    if (v) return v;
  }
  throw new Error('no synthetic fnr');
})();
/** The same number with a broken check digit. */
const BROKEN = `${SYNTH.slice(0, 10)}${(Number(SYNTH[10]) + 1) % 10}`;
const fetchedAt = '2026-05-01T00:00:00.000Z';

function saksmappe(over: Partial<TgSaksmappeWire> = {}): TgSaksmappeWire {
  return {
    systemID: 'c1',
    saksaar: 2026,
    sakssekvensnummer: 7,
    tittel: 'Søknad om tiltak - 12/3',
    saksstatus: { kode: 'B' },
    mappetype: { kode: 'BYGG' },
    oppdatertDato: '2026-04-01T10:00:00.000Z',
    klasse: {
      systemID: 'k1',
      klasseID: '1806-12/3/0/0',
      tittel: '12/3',
      klassifikasjonssystem: { kode: 'GBNR' },
    },
    sekundaerklassifikasjon: [
      { systemID: 'k2', klasseID: 'L42', tittel: 'L42', klassifikasjonssystem: { kode: 'ARKNOKKEL' } },
    ],
    part: [
      {
        systemID: 'p1',
        partRolle: { kode: 'Tiltakshaver' },
        navn: 'Kari Nordmann',
        postadresse: { adresselinje1: 'Storgata 1', postnr: '8514', poststed: 'NARVIK' },
      },
    ],
    eksternID: [{ system: 'registerbro', eksternID: 'key-1' }],
    ...over,
  };
}

describe('toCase', () => {
  it('maps a byggesak with its classes, parties and external key', () => {
    const c = toCase(saksmappe(), { fetchedAt, version: '"c-3"' });
    expect(c).toMatchObject({
      systemId: 'c1',
      saksnummer: '2026/7',
      status: 'B',
      open: true,
      caseType: 'byggesak',
      version: '"c-3"',
      externalKey: { fagsystem: 'registerbro', noekkel: 'key-1' },
      classes: [
        { system: 'GBNR', classId: '1806-12/3/0/0', title: '12/3', systemId: 'k1' },
        { system: 'ARKNOKKEL', classId: 'L42', systemId: 'k2' },
      ],
    });
    expect(c.parties[0]).toMatchObject({
      systemId: 'p1',
      kind: 'unknown',
      name: 'Kari Nordmann',
      role: 'Tiltakshaver',
    });
    expect(c.parties[0]?.address).toMatchObject({
      kind: 'fritekst',
      adresselinjer: ['Storgata 1'],
      postnummer: '8514',
      poststed: 'NARVIK',
    });
    expect(c.sources[0]).toMatchObject({ system: 'noark', id: 'c1', version: '"c-3"' });
    // The case's ETag is not the party's: sent back as expectedVersion it would never match.
    expect(c.parties[0]?.version).toBeUndefined();
  });

  it('marks a closed case (avsluttetDato or status A) as not open', () => {
    expect(toCase(saksmappe({ saksstatus: { kode: 'A' } }), { fetchedAt }).open).toBe(false);
    expect(
      toCase(saksmappe({ saksstatus: { kode: 'F' }, avsluttetDato: '2025-01-01' }), { fetchedAt }).open,
    ).toBe(false);
  });

  it('hides screened data unless asked', () => {
    const wire = saksmappe({
      mappetype: { kode: 'SOS' },
      skjerming: { tilgangsrestriksjon: { kode: 'UO' }, skjermingshjemmel: 'Offl. § 13' },
      klasse: { systemID: 'k9', klasseID: SYNTH, tittel: SYNTH, klassifikasjonssystem: { kode: 'FNR' } },
      part: [
        {
          systemID: 'p9',
          partRolle: { kode: 'Part' },
          navn: 'Ola',
          personidentifikator: [{ foedselsnummer: SYNTH }],
        },
      ],
    });
    const hidden = toCase(wire, { fetchedAt });
    expect(hidden.classes.map((k) => k.system)).toEqual(['ARKNOKKEL']);
    expect(hidden.parties[0]?.identifier).toBeUndefined();
    expect(hidden.parties[0]?.kind).toBe('person');
    expect(JSON.stringify(hidden)).not.toContain(SYNTH);
    const shown = toCase(wire, { fetchedAt, includeScreened: true });
    expect(shown.classes.map((k) => k.system)).toEqual(['FNR', 'ARKNOKKEL']);
    expect(shown.parties[0]?.identifier).toBe(SYNTH);
  });

  it('keeps a party whose fødselsnummer fails its checks (the engine raises it), refuses one that is not eleven digits', () => {
    const part = (foedselsnummer: string) =>
      saksmappe({
        part: [
          {
            systemID: 'p2',
            partRolle: { kode: 'Part' },
            navn: 'X',
            personidentifikator: [{ foedselsnummer }],
          },
        ],
      });
    // A typo in the archive: the case stays readable, so its other parties and classes stay in step.
    expect(toCase(part(BROKEN), { fetchedAt }).parties[0]).toMatchObject({
      kind: 'person',
      identifier: BROKEN,
    });
    const garbage = `${BROKEN.slice(0, 6)}-${BROKEN.slice(6)}x`;
    try {
      toCase(part(garbage), { fetchedAt });
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
      expect((error as Error).message).not.toContain(BROKEN.slice(6));
      expect((error as { record?: string }).record).toContain('2026/7');
    }
  });

  it('refuses a case that does not fit the canonical schema', () => {
    expect(() => toCase(saksmappe({ saksaar: 26 }), { fetchedAt })).toThrow(/saksmappe 26\/7/);
  });

  it('knows its mappetype codes both ways', () => {
    expect(mappetypeOf('konsesjon')).toBe('KONS');
    expect(toCase(saksmappe({ mappetype: { kode: 'KONS' } }), { fetchedAt }).caseType).toBe('konsesjon');
    expect(toCase(saksmappe({ mappetype: { kode: 'XYZ' } }), { fetchedAt }).caseType).toBe('annen');
  });
});

describe('toRecord', () => {
  const jp: TgJournalpostWire = {
    systemID: 'j1',
    journalaar: 2026,
    journalsekvensnummer: 12,
    journalpostnummer: 12,
    tittel: 'Vedtak',
    journalposttype: { kode: 'U' },
    journalstatus: { kode: 'E' },
    journaldato: '2026-04-02',
    korrespondansepart: [
      {
        systemID: 'kp1',
        korrespondanseparttype: { kode: 'Mottaker' },
        navn: 'Narvik Bygg AS',
        organisasjonsnummer: '923609016',
      },
    ],
  };

  it('maps a journalpost and marks ekspedert as frozen', () => {
    const r = toRecord(jp, { fetchedAt, caseSystemId: 'c1' });
    expect(r).toMatchObject({
      systemId: 'j1',
      caseSystemId: 'c1',
      journalpostnummer: '2026/12',
      journalposttype: 'U',
      frozen: true,
    });
    expect(r.correspondenceParties[0]).toMatchObject({
      kind: 'organisation',
      identifier: '923609016',
      role: 'Mottaker',
    });
  });

  it.each([
    ['J', true],
    ['E', true],
    ['A', true],
    ['F', false],
    ['M', false],
    ['S', false],
  ])('journalstatus %s frozen: %s', (kode, frozen) => {
    expect(isFrozenJournalstatus(kode)).toBe(frozen);
  });
});
