import {
  type Address,
  InvalidIdentifierError,
  type Party,
  isOrganisasjonsnummer,
  maskFodselsnummer,
} from '@registerbro/model';
import type { TgAdresseWire, TgKodeWire, TgKorrespondansepartWire, TgPartWire } from '../wire/tg.js';

/** Options shared by the read mappers. */
export interface MapOptions {
  /** When the data was read (ISO timestamp). */
  fetchedAt: string;
  /** Return screened (skjermet) identifiers. @default false */
  includeScreened?: boolean;
}

/** The archive's free-text address as a canonical `fritekst` address (the archive has no structure). */
export function toAddress(wire: TgAdresseWire | undefined): Address | undefined {
  if (!wire) return undefined;
  const lines = [wire.adresselinje1, wire.adresselinje2, wire.adresselinje3].filter(
    (l): l is string => typeof l === 'string' && l.trim() !== '',
  );
  if (lines.length === 0 && !wire.postnr && !wire.poststed) return undefined;
  const address: Address = {
    kind: wire.landkode && wire.landkode !== 'NO' ? 'utenlandsk' : 'fritekst',
    adresselinjer: lines,
  };
  if (wire.postnr && /^\d{4}$/.test(wire.postnr)) address.postnummer = wire.postnr;
  if (wire.poststed) address.poststed = wire.poststed;
  if (wire.landkode && wire.landkode !== 'NO') address.landkode = wire.landkode;
  return address;
}

/**
 * A canonical address as the archive's EnkelAdresse. A matrikkeladresse (no street) is written as
 * its matrikkelnummer (`1806-97/1/0/0`, with `-undernummer`), the form the sync engine compares
 * addresses by: without it the archive would hold only postnummer and poststed, and every later
 * compare would see an address edited in the archive.
 */
export function fromAddress(address: Address): TgAdresseWire {
  const lines =
    address.adresselinjer && address.adresselinjer.length > 0
      ? address.adresselinjer
      : address.adressenavn
        ? [
            `${address.adressenavn}${address.husnummer === undefined ? '' : ` ${address.husnummer}${address.bokstav ?? ''}`}`,
          ]
        : address.kind === 'matrikkeladresse' && address.matrikkelnummer
          ? [`${address.matrikkelnummer}${address.undernummer ? `-${address.undernummer}` : ''}`]
          : [];
  const out: TgAdresseWire = {};
  if (lines[0] !== undefined) out.adresselinje1 = lines[0];
  if (lines[1] !== undefined) out.adresselinje2 = lines[1];
  if (lines[2] !== undefined) out.adresselinje3 = lines[2];
  if (address.postnummer) out.postnr = address.postnummer;
  if (address.poststed) out.poststed = address.poststed;
  if (address.landkode) out.landkode = address.landkode;
  return out;
}

function identifierOf(
  wire: {
    personidentifikator?: { foedselsnummer: string }[] | undefined;
    organisasjonsnummer?: string | undefined;
    systemID: string;
  },
  record: string,
): { kind: Party['kind']; identifier?: string } {
  const fnr = wire.personidentifikator?.[0]?.foedselsnummer?.trim();
  if (fnr) {
    // Eleven digits that fail their checks (a typo in the archive) stay on the party: the sync
    // engine raises a conflict for that one party ("correct it in the archive") and keeps the rest
    // of the case in step — quarantining the whole case would also stop a protected person's
    // copied address on it from being removed. Anything else cannot be an identifier at all.
    if (!/^\d{11}$/.test(fnr)) {
      throw new InvalidIdentifierError('fødselsnummer', maskFodselsnummer(fnr), 'it is not eleven digits', {
        system: 'noark',
        record: `${record}, part ${wire.systemID}`,
        hint: 'Correct the party identifier in the archive; the case is quarantined until then.',
      });
    }
    return { kind: 'person', identifier: fnr };
  }
  const orgnr = wire.organisasjonsnummer?.trim();
  if (orgnr) {
    if (!isOrganisasjonsnummer(orgnr)) {
      throw new InvalidIdentifierError('organisasjonsnummer', orgnr, 'it fails its checks', {
        system: 'noark',
        record: `${record}, part ${wire.systemID}`,
        hint: 'Correct the party identifier in the archive; the case is quarantined until then.',
      });
    }
    return { kind: 'organisation', identifier: orgnr };
  }
  return { kind: wire.personidentifikator ? 'person' : 'unknown' };
}

/**
 * A sakspart as a canonical Party. `screened` (the case or the party is skjermet) drops the
 * identifier unless the caller asked for screened data.
 */
export function toParty(
  wire: TgPartWire,
  options: MapOptions & { record: string; screened?: boolean; version?: string },
): Party {
  const { kind, identifier } = identifierOf(wire, options.record);
  const hide = (options.screened || wire.skjermetPart === true) && !options.includeScreened;
  const party: Party = { systemId: wire.systemID, kind, name: wire.navn, role: wire.partRolle.kode };
  if (identifier && !hide) party.identifier = identifier;
  const address = toAddress(wire.postadresse);
  if (address) party.address = address;
  const status = wire.virksomhetsspesifikkeMetadata?.personstatus;
  if (status === 'doed') party.deceased = true;
  if (options.version) party.version = options.version;
  party.sources = [
    {
      system: 'noark',
      id: wire.systemID,
      fetchedAt: options.fetchedAt,
      ...(options.version ? { version: options.version } : {}),
    },
  ];
  return party;
}

/** A korrespondansepart as a canonical Party (role = korrespondanseparttype). */
export function toCorrespondenceParty(
  wire: TgKorrespondansepartWire,
  options: MapOptions & { record: string },
): Party {
  const { kind, identifier } = identifierOf(wire, options.record);
  const party: Party = {
    systemId: wire.systemID,
    kind,
    name: wire.navn,
    role: wire.korrespondanseparttype.kode,
  };
  if (identifier && (!wire.skjermetKorrespondansepart || options.includeScreened))
    party.identifier = identifier;
  const address = toAddress(wire.postadresse);
  if (address) party.address = address;
  if (wire.virksomhetsspesifikkeMetadata?.personstatus === 'doed') party.deceased = true;
  party.sources = [{ system: 'noark', id: wire.systemID, fetchedAt: options.fetchedAt }];
  return party;
}

/** The body of a part the archive accepts on POST/PUT. */
export type TgPartBody = {
  navn: string;
  partRolle: TgKodeWire;
  postadresse?: TgAdresseWire;
  personidentifikator?: { foedselsnummer: string }[];
  organisasjonsnummer?: string;
  virksomhetsspesifikkeMetadata?: Record<string, unknown>;
};

/** A canonical party as the archive's part body (for POST/PUT). */
export function fromParty(party: Party): TgPartBody {
  const out: TgPartBody = { navn: party.name, partRolle: { kode: party.role ?? 'Part' } };
  if (party.identifier?.length === 11) out.personidentifikator = [{ foedselsnummer: party.identifier }];
  else if (party.identifier?.length === 9) out.organisasjonsnummer = party.identifier;
  if (party.address) out.postadresse = fromAddress(party.address);
  if (party.deceased) out.virksomhetsspesifikkeMetadata = { personstatus: 'doed' };
  return out;
}
