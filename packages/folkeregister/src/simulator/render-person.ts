import type { World, WorldAddress, WorldPerson } from '@registerbro/testkit';

/** A person document as the simulator serves it (plain JSON, `Folkeregisterperson`). */
export type RenderedPerson = Record<string, unknown>;

const KILDE = 'skatteetaten';

function ts(date: string | undefined, fallback: string): string {
  if (!date) return fallback;
  return date.length === 10 ? `${date}T00:00:00Z` : date;
}

/** The gradering v1.5 can express for a world level. */
export function graderingOf(
  level: WorldPerson['adressebeskyttelse'],
): 'ugradert' | 'fortrolig' | 'strengtFortrolig' {
  if (level === 'strengtFortroligUtland') return 'strengtFortrolig';
  return level;
}

function poststed(
  postnummer: string | undefined,
  poststedsnavn: string | undefined,
): Record<string, string> | undefined {
  if (!postnummer && !poststedsnavn) return undefined;
  const out: Record<string, string> = {};
  if (postnummer) out.postnummer = postnummer;
  if (poststedsnavn) out.poststedsnavn = poststedsnavn;
  return out;
}

function renderBostedsadresse(
  person: WorldPerson,
  address: WorldAddress,
  gradering: string,
): Record<string, unknown> {
  const element: Record<string, unknown> = {
    erGjeldende: true,
    kilde: KILDE,
    ajourholdstidspunkt: person.updatedAt,
    gyldighetstidspunkt: ts(person.movedInDate, person.updatedAt),
    adressegradering: gradering,
    adresseIdentifikatorFraMatrikkelen: address.id,
  };
  if (person.movedInDate) element.flyttedato = person.movedInDate;
  if (address.kind === 'vegadresse') {
    const adressenummer: Record<string, string> = { husnummer: String(address.husnummer ?? 0) };
    if (address.bokstav) adressenummer.husbokstav = address.bokstav;
    element.vegadresse = {
      ...(address.adressekode === undefined ? {} : { adressekode: String(address.adressekode) }),
      adressenavn: address.adressenavn ?? '',
      adressenummer,
      kommunenummer: address.kommunenummer,
      poststed: poststed(address.postnummer, address.poststed),
    };
  } else {
    const [, g, b, f] = /^\d{4}-(\d+)\/(\d+)\/(\d+)/.exec(address.matrikkelnummer) ?? [];
    element.matrikkeladresse = {
      matrikkelnummer: {
        kommunenummer: address.kommunenummer,
        gaardsnummer: Number(g ?? 0),
        bruksnummer: Number(b ?? 0),
        festenummer: Number(f ?? 0),
      },
      ...(address.undernummer === undefined ? {} : { undernummer: address.undernummer }),
      poststed: poststed(address.postnummer, address.poststed),
    };
  }
  return element;
}

/**
 * Render a synthetic person of the testkit {@link World} as Folkeregisteret's person document
 * (`Folkeregisterperson`, OpenAPI v1.5), the way the register delivers it to a municipality with
 * hjemmel: protected people come WITH their gradering and their address — hiding it is the
 * adapter's job, and the tests check that it does.
 *
 * Known simplification: v1.5's `graderingsnivaa` has no `strengtFortroligUtland`, so a world
 * person with that level is rendered `strengtFortrolig` (with every address graded the same).
 * @param corrupt render a document that fails the wire schema (a name without `fornavn`), for bad-input tests
 */
export function renderPerson(person: WorldPerson, world: World, corrupt = false): RenderedPerson {
  const updated = person.updatedAt;
  const gradering = graderingOf(person.adressebeskyttelse);
  const doc: RenderedPerson = {
    identifikasjonsnummer: person.identifiers.map((id) => {
      const replaced = id.validTo !== undefined;
      return {
        erGjeldende: !replaced,
        kilde: KILDE,
        ajourholdstidspunkt: updated,
        gyldighetstidspunkt: ts(id.validFrom, updated),
        ...(replaced ? { opphoerstidspunkt: ts(id.validTo, updated) } : {}),
        foedselsEllerDNummer: id.value,
        identifikatortype: id.kind === 'dnr' ? 'dNummer' : 'foedselsnummer',
        status: replaced ? 'opphoert' : 'iBruk',
      };
    }),
    navn: [
      corrupt
        ? { erGjeldende: true, etternavn: person.familyName, fornavn: 404 }
        : {
            erGjeldende: true,
            kilde: KILDE,
            ajourholdstidspunkt: updated,
            gyldighetstidspunkt: updated,
            fornavn: person.givenName,
            ...(person.middleName ? { mellomnavn: person.middleName } : {}),
            etternavn: person.familyName,
          },
    ],
    kjoenn: [{ erGjeldende: true, kilde: KILDE, kjoenn: person.sex === 'female' ? 'kvinne' : 'mann' }],
    foedsel: [
      {
        erGjeldende: true,
        kilde: KILDE,
        foedselsaar: person.birthDate.slice(0, 4),
        foedselsdato: person.birthDate,
      },
    ],
    status: [
      {
        erGjeldende: true,
        kilde: KILDE,
        ajourholdstidspunkt: updated,
        gyldighetstidspunkt: updated,
        status: person.status,
      },
    ],
  };
  if (person.deathDate) doc.doedsfall = { erGjeldende: true, kilde: KILDE, doedsdato: person.deathDate };
  if (person.emigrationDate) {
    doc.utflytting = [{ erGjeldende: true, kilde: KILDE, utflyttingsdato: person.emigrationDate }];
  }
  if (gradering !== 'ugradert') {
    doc.adressebeskyttelse = [
      {
        erGjeldende: true,
        kilde: KILDE,
        ajourholdstidspunkt: updated,
        gyldighetstidspunkt: updated,
        graderingsnivaa: gradering,
      },
    ];
  }
  const address = person.residentialAddressId ? world.addresses.get(person.residentialAddressId) : undefined;
  if (address) doc.bostedsadresse = [renderBostedsadresse(person, address, gradering)];
  const postal = person.postalAddress;
  if (postal) {
    const common = {
      erGjeldende: true,
      kilde: KILDE,
      ajourholdstidspunkt: updated,
      adressegradering: gradering,
    };
    if (postal.kind === 'utenlandsk') {
      doc.postadresseIUtlandet = [
        {
          ...common,
          utenlandskAdresseIFrittFormat: {
            adresselinje: postal.lines,
            landkode: postal.landkode ?? 'SE',
            ...(postal.poststed ? { byEllerStedsnavn: postal.poststed } : {}),
            ...(postal.postnummer ? { postkode: postal.postnummer } : {}),
          },
        },
      ];
    } else if (postal.kind === 'postboks') {
      const line = postal.lines.find((l) => /postboks/i.test(l)) ?? postal.lines[0] ?? '';
      const number = /postboks\s+(.+)$/i.exec(line)?.[1] ?? line;
      const owner = postal.lines.find((l) => l !== line);
      doc.postadresse = [
        {
          ...common,
          postboksadresse: {
            postboks: number,
            ...(owner ? { postbokseier: owner } : {}),
            poststed: poststed(postal.postnummer, postal.poststed),
          },
        },
      ];
    } else {
      doc.postadresse = [
        {
          ...common,
          postadresseIFrittFormat: {
            adresselinje: postal.lines,
            poststed: poststed(postal.postnummer, postal.poststed),
          },
        },
      ];
    }
  }
  return doc;
}
