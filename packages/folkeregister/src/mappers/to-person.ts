import {
  type Address,
  type Adressebeskyttelse,
  InvalidIdentifierError,
  maskFodselsnummer,
  type Person,
  type PersonIdentifier,
  type PersonNames,
  type PersonStatus,
  parseFodselsnummer,
  UpstreamInvalidError,
} from '@registerbro/model';
import type {
  BostedsadresseWire,
  FolkeregisteridentifikatorWire,
  FolkeregisterpersonWire,
  NavnWire,
  PostadresseIUtlandetWire,
  PostadresseWire,
} from '../wire/person.js';

/** Options of {@link toPerson}. */
export interface ToPersonOptions {
  /** When the document was read (ISO timestamp). @default now */
  fetchedAt?: string;
  /** The register's version of the document (e.g. the feed's `persondokument` id). @default undefined */
  version?: string;
}

interface Historic {
  erGjeldende?: boolean | undefined;
  opphoerstidspunkt?: string | undefined;
}

/**
 * The current element of a historic list: the one flagged `erGjeldende`. Documents without the
 * flag (older versions, `part=` subsets) count the first element that has not ceased as current.
 */
export function pickCurrent<T extends Historic>(items: readonly T[] | undefined): T | undefined {
  if (!items || items.length === 0) return undefined;
  let flagged = false;
  for (const item of items) {
    if (item.erGjeldende === true) return item;
    if (item.erGjeldende !== undefined) flagged = true;
  }
  if (flagged) return undefined;
  for (const item of items) if (!item.opphoerstidspunkt) return item;
  return undefined;
}

const STATUS: Record<string, PersonStatus> = {
  bosatt: 'bosatt',
  utflyttet: 'utflyttet',
  doed: 'doed',
  opphoert: 'opphoert',
  forsvunnet: 'forsvunnet',
  ikkeBosatt: 'ikkeBosatt',
  midlertidig: 'midlertidig',
  inaktiv: 'inaktiv',
  foedselsregistrert: 'foedselsregistrert',
  // An active D-nummer person: registered, but not resident (the register's "midlertidig" of old).
  aktiv: 'midlertidig',
};

/** Protection levels, least to most strict (an unknown level counts as the strictest). */
const PROTECTION_RANK: Record<Adressebeskyttelse, number> = {
  ugradert: 0,
  fortrolig: 1,
  strengtFortrolig: 2,
  strengtFortroligUtland: 3,
};

/**
 * The register's gradering as the model's level. `klientadresse` (the address shown is a contact
 * address, not where the person lives) is treated as `fortrolig`; an unknown value is treated as
 * `strengtFortrolig`: when in doubt, an address is hidden, never shown.
 */
export function toAdressebeskyttelse(raw: string | undefined): Adressebeskyttelse {
  switch (raw) {
    case undefined:
    case 'ugradert':
      return 'ugradert';
    case 'fortrolig':
    case 'klientadresse':
      return 'fortrolig';
    case 'strengtFortrolig':
      return 'strengtFortrolig';
    case 'strengtFortroligUtland':
      return 'strengtFortroligUtland';
    default:
      return 'strengtFortrolig';
  }
}

function stricter(a: Adressebeskyttelse, b: Adressebeskyttelse): Adressebeskyttelse {
  return PROTECTION_RANK[b] > PROTECTION_RANK[a] ? b : a;
}

function invalid(message: string, record: string, hint: string): UpstreamInvalidError {
  return new UpstreamInvalidError(`Folkeregisteret: ${message}`, { system: 'folkeregister', record, hint });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FOUR_DIGITS = /^\d{4}$/;

/** An ISO date from a date or date-time text (`2017-09-26T11:08:20+02:00` → `2017-09-26`). */
function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const head = value.slice(0, 10);
  return ISO_DATE.test(head) ? head : undefined;
}

function identifierKind(
  wire: FolkeregisteridentifikatorWire,
  parsedKind: 'fnr' | 'dnr' | 'hnr',
): PersonIdentifier['kind'] {
  if (wire.identifikatortype === 'dNummer') return 'dnr';
  return parsedKind;
}

function check4(value: string | undefined, field: string, record: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!FOUR_DIGITS.test(value)) {
    throw invalid(
      `${field} "${value}" is not four digits`,
      record,
      'The person is quarantined; report the document to Skatteetaten.',
    );
  }
  return value;
}

function husnummer(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

function residential(wire: BostedsadresseWire, record: string): Address | undefined {
  const validFrom = isoDate(wire.flyttedato) ?? isoDate(wire.gyldighetstidspunkt);
  const v = wire.vegadresse;
  if (v) {
    const address: Address = { kind: 'vegadresse', adressenavn: v.adressenavn };
    const kommunenummer = check4(v.kommunenummer, 'kommunenummer', record);
    if (kommunenummer) address.kommunenummer = kommunenummer;
    const postnummer = check4(v.poststed?.postnummer, 'postnummer', record);
    if (postnummer) address.postnummer = postnummer;
    if (wire.adresseIdentifikatorFraMatrikkelen) address.adresseId = wire.adresseIdentifikatorFraMatrikkelen;
    if (v.adressekode) address.adressekode = v.adressekode;
    const nr = husnummer(v.adressenummer?.husnummer);
    if (nr !== undefined) address.husnummer = nr;
    if (v.adressenummer?.husbokstav) address.bokstav = v.adressenummer.husbokstav;
    if (v.bruksenhetsnummer) address.bruksenhetsnummer = v.bruksenhetsnummer;
    if (v.poststed?.poststedsnavn) address.poststed = v.poststed.poststedsnavn;
    if (validFrom) address.validFrom = validFrom;
    return address;
  }
  const m = wire.matrikkeladresse;
  if (m) {
    const n = m.matrikkelnummer;
    const address: Address = { kind: 'matrikkeladresse' };
    const kommunenummer = check4(n.kommunenummer, 'kommunenummer', record);
    if (kommunenummer) address.kommunenummer = kommunenummer;
    if (n.gaardsnummer !== undefined && n.bruksnummer !== undefined) {
      address.matrikkelnummer = `${n.kommunenummer}-${n.gaardsnummer}/${n.bruksnummer}/${n.festenummer ?? 0}/0`;
    }
    if (wire.adresseIdentifikatorFraMatrikkelen) address.adresseId = wire.adresseIdentifikatorFraMatrikkelen;
    if (m.undernummer !== undefined) address.undernummer = m.undernummer;
    if (m.bruksenhetsnummer) address.bruksenhetsnummer = m.bruksenhetsnummer;
    if (m.adressetilleggsnavn) address.adressenavn = m.adressetilleggsnavn;
    const postnummer = check4(m.poststed?.postnummer, 'postnummer', record);
    if (postnummer) address.postnummer = postnummer;
    if (m.poststed?.poststedsnavn) address.poststed = m.poststed.poststedsnavn;
    if (validFrom) address.validFrom = validFrom;
    return address;
  }
  // ukjentBosted: the register itself does not know where the person lives.
  return undefined;
}

function postal(wire: PostadresseWire, record: string): Address | undefined {
  const v = wire.vegadresse;
  if (v) {
    const address: Address = { kind: 'vegadresse' };
    if (v.adressenavn) address.adressenavn = v.adressenavn;
    if (v.adressekode) address.adressekode = v.adressekode;
    const nr = husnummer(v.adressenummer?.husnummer);
    if (nr !== undefined) address.husnummer = nr;
    if (v.adressenummer?.husbokstav) address.bokstav = v.adressenummer.husbokstav;
    if (v.bruksenhetsnummer) address.bruksenhetsnummer = v.bruksenhetsnummer;
    const postnummer = check4(v.poststed?.postnummer, 'postnummer', record);
    if (postnummer) address.postnummer = postnummer;
    if (v.poststed?.poststedsnavn) address.poststed = v.poststed.poststedsnavn;
    return address;
  }
  const p = wire.postboksadresse;
  if (p) {
    const lines = [p.postbokseier, `Postboks ${p.postboks}`].filter((l): l is string => Boolean(l));
    const address: Address = { kind: 'postboks', adresselinjer: lines };
    const postnummer = check4(p.poststed?.postnummer, 'postnummer', record);
    if (postnummer) address.postnummer = postnummer;
    if (p.poststed?.poststedsnavn) address.poststed = p.poststed.poststedsnavn;
    return address;
  }
  const f = wire.postadresseIFrittFormat;
  if (f) {
    const address: Address = { kind: 'fritekst', adresselinjer: f.adresselinje ?? [] };
    const postnummer = check4(f.poststed?.postnummer, 'postnummer', record);
    if (postnummer) address.postnummer = postnummer;
    if (f.poststed?.poststedsnavn) address.poststed = f.poststed.poststedsnavn;
    return address;
  }
  return undefined;
}

function postalAbroad(wire: PostadresseIUtlandetWire): Address | undefined {
  const u = wire.utenlandskAdresse;
  if (u) {
    const lines = [
      u.coAdressenavn,
      u.adressenavn,
      u.bygning,
      u.postboks,
      [u.postkode, u.byEllerStedsnavn].filter(Boolean).join(' '),
      u.region,
    ].filter((l): l is string => Boolean(l));
    return { kind: 'utenlandsk', adresselinjer: lines, landkode: u.landkode };
  }
  const f = wire.utenlandskAdresseIFrittFormat;
  if (f) {
    const lines = [...(f.adresselinje ?? [])];
    const city = [f.postkode, f.byEllerStedsnavn].filter(Boolean).join(' ');
    if (city) lines.push(city);
    return { kind: 'utenlandsk', adresselinjer: lines, landkode: f.landkode };
  }
  return undefined;
}

/**
 * Map a Folkeregisteret person document to the canonical {@link Person}.
 *
 * - The current identifier is the `iBruk` + `erGjeldende` one (an fnr wins over a D-nummer); all
 *   identifiers, current and replaced, go to `identifiers`. Every one must pass its check digits:
 *   an invalid identifier from upstream throws `InvalidIdentifierError` (masked), never passes.
 * - `adressebeskyttelse` is the strictest of the document's gradering and the addresses' own
 *   `adressegradering`. A protected person gets NO address and no kommunenummer: the register
 *   delivers them to a municipality with hjemmel, but they never leave this mapper.
 * - Unknown status codes keep their raw value in `statusRaw`.
 *
 * @throws UpstreamInvalidError when the document lacks what a Person needs (identifier, name)
 * @throws InvalidIdentifierError when an identifier fails its check digits
 */
/** The identifiers (all checked) and the current name of a person document: what every mapping needs. */
function identityOf(wire: Pick<FolkeregisterpersonWire, 'identifikasjonsnummer' | 'navn'>): {
  current: PersonIdentifier;
  identifiers: PersonIdentifier[];
  birthFromId: string | undefined;
  navn: NavnWire;
  record: string;
} {
  const ids = wire.identifikasjonsnummer ?? [];
  const currentWire =
    ids.find(
      (i) => i.status === 'iBruk' && i.erGjeldende !== false && i.identifikatortype === 'foedselsnummer',
    ) ??
    ids.find((i) => i.status === 'iBruk' && i.erGjeldende !== false) ??
    pickCurrent(ids);
  const firstRaw = currentWire?.foedselsEllerDNummer ?? ids[0]?.foedselsEllerDNummer;
  const record = firstRaw ? `person ${maskFodselsnummer(firstRaw)}` : 'person (no identifier)';
  if (!currentWire) {
    throw invalid(
      'the person document has no current folkeregisteridentifikator',
      record,
      'Fetch the person without a part= filter that leaves out identifikasjonsnummer.',
    );
  }

  const identifiers: PersonIdentifier[] = [];
  let current: PersonIdentifier | undefined;
  let birthFromId: string | undefined;
  for (const id of ids) {
    let parsed: ReturnType<typeof parseFodselsnummer>;
    try {
      parsed = parseFodselsnummer(id.foedselsEllerDNummer);
    } catch (error) {
      throw new InvalidIdentifierError(
        'fodselsnummer',
        maskFodselsnummer(id.foedselsEllerDNummer),
        'fails its check digits or date',
        {
          system: 'folkeregister',
          record: `person ${maskFodselsnummer(id.foedselsEllerDNummer)}`,
          hint: 'Folkeregisteret delivered an identifier that is not valid; the record is quarantined. Report it to Skatteetaten.',
          cause: error,
        },
      );
    }
    const isCurrent = id === currentWire;
    const entry: PersonIdentifier = {
      value: parsed.value,
      kind: identifierKind(id, parsed.kind),
      current: isCurrent,
    };
    if (parsed.synthetic) entry.synthetic = true;
    const from = isoDate(id.gyldighetstidspunkt);
    if (from) entry.validFrom = from;
    const to = isoDate(id.opphoerstidspunkt);
    if (to) entry.validTo = to;
    identifiers.push(entry);
    if (isCurrent) {
      current = entry;
      birthFromId = parsed.birthDate;
    }
  }
  if (!current)
    throw invalid('the current identifier could not be read', record, 'Report the document to Skatteetaten.');

  const navn = pickCurrent(wire.navn);
  if (!navn) {
    throw invalid(
      'the person document has no current navn',
      record,
      'A Person needs a name: fetch the whole document (no part= filter) or check the rettighetspakke.',
    );
  }

  return { current, identifiers, birthFromId, navn, record };
}

/**
 * The names and identifiers of a person document read with `part=identifikasjonsnummer&part=navn`
 * ({@link NAME_PARTS}): who bears a name, and nothing else. Checked like {@link toPerson}.
 */
export function toPersonNames(
  wire: Pick<FolkeregisterpersonWire, 'identifikasjonsnummer' | 'navn'>,
): PersonNames {
  const { current, identifiers, navn } = identityOf(wire);
  const names: PersonNames = {
    fodselsnummer: current.value,
    identifiers,
    givenName: navn.fornavn,
    familyName: navn.etternavn,
  };
  if (navn.mellomnavn) names.middleName = navn.mellomnavn;
  return names;
}

export function toPerson(wire: FolkeregisterpersonWire, options: ToPersonOptions = {}): Person {
  const { current, identifiers, birthFromId, navn, record } = identityOf(wire);
  const statusRawValue = pickCurrent(wire.status)?.status;
  const doedsfall = Array.isArray(wire.doedsfall) ? pickCurrent(wire.doedsfall) : wire.doedsfall;
  let status: PersonStatus;
  let statusRaw: string | undefined;
  if (statusRawValue === undefined) {
    status = doedsfall?.doedsdato ? 'doed' : 'ikkeBosatt';
  } else {
    const known = STATUS[statusRawValue];
    if (known) {
      status = known;
      if (statusRawValue === 'aktiv') statusRaw = statusRawValue;
    } else {
      status = doedsfall?.doedsdato ? 'doed' : 'ikkeBosatt';
      statusRaw = statusRawValue;
    }
  }

  const bosted = pickCurrent(wire.bostedsadresse);
  const post = pickCurrent(wire.postadresse);
  const postUtland = pickCurrent(wire.postadresseIUtlandet);
  let beskyttelse = toAdressebeskyttelse(pickCurrent(wire.adressebeskyttelse)?.graderingsnivaa);
  // An address may carry its own gradering; the strictest one wins.
  for (const a of [bosted, post, postUtland]) {
    if (a) beskyttelse = stricter(beskyttelse, toAdressebeskyttelse(a.adressegradering));
  }

  const person: Person = {
    fodselsnummer: current.value,
    identifierKind: current.kind,
    identifiers,
    givenName: navn.fornavn,
    familyName: navn.etternavn,
    status,
    adressebeskyttelse: beskyttelse,
    sources: [
      {
        system: 'folkeregister',
        id: current.value,
        fetchedAt: options.fetchedAt ?? new Date().toISOString(),
        ...(options.version ? { version: options.version } : {}),
      },
    ],
  };
  if (navn.mellomnavn) person.middleName = navn.mellomnavn;
  const birthDate = isoDate(pickCurrent(wire.foedsel)?.foedselsdato) ?? birthFromId;
  if (birthDate) person.birthDate = birthDate;
  if (statusRaw !== undefined) person.statusRaw = statusRaw;
  const deathDate = isoDate(doedsfall?.doedsdato);
  if (deathDate) person.deathDate = deathDate;
  if (status === 'utflyttet') {
    const date = isoDate(pickCurrent(wire.utflytting)?.utflyttingsdato);
    if (date) person.emigrationDate = date;
  }

  // Privacy by construction: nothing below runs for a protected person.
  if (beskyttelse === 'ugradert') {
    const home = bosted ? residential(bosted, record) : undefined;
    if (home) person.residentialAddress = home;
    const kommune =
      bosted?.vegadresse?.kommunenummer ??
      bosted?.matrikkeladresse?.matrikkelnummer.kommunenummer ??
      bosted?.ukjentBosted?.bostedskommune;
    if (kommune && FOUR_DIGITS.test(kommune)) person.kommunenummer = kommune;
    const mail =
      (post ? postal(post, record) : undefined) ?? (postUtland ? postalAbroad(postUtland) : undefined);
    if (mail) person.postalAddress = mail;
  }
  return person;
}
