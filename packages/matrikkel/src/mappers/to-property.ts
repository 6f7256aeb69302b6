import {
  type Address,
  InvalidIdentifierError,
  type Owner,
  type Point,
  type Property,
  type PropertyType,
  formatMatrikkelnummer,
  parseMatrikkelnummer,
} from '@registerbro/model';
import { type MatrikkelenhetWire, type MatrikkelnummerWire, localType } from '../wire/schemas.js';

const TYPES: Record<string, PropertyType> = {
  Grunneiendom: 'grunneiendom',
  Festegrunn: 'festegrunn',
  Seksjon: 'seksjon',
  Anleggseiendom: 'anleggseiendom',
  Jordsameie: 'jordsameie',
};

/**
 * The full key `kkkk-g/b/f/s` of a wire matrikkelnummer whose kommuneId was resolved to
 * `kommunenummer`. An impossible number (gardsnummer 0, negative parts, …) throws
 * InvalidIdentifierError naming the unit's internal id.
 */
export function toMatrikkelnummerKey(
  m: MatrikkelnummerWire,
  kommunenummer: string | undefined,
  unitId: string,
): string {
  const text = `${kommunenummer ?? '?'}-${m.gardsnummer}/${m.bruksnummer}/${m.festenummer ?? 0}/${m.seksjonsnummer ?? 0}`;
  if (!kommunenummer) {
    throw new InvalidIdentifierError(
      'matrikkelnummer',
      text,
      `matrikkelenhet id ${unitId} has kommuneId ${m.kommuneId.value}, which KommuneService does not know`,
      {
        system: 'matrikkel',
        record: `matrikkelenhet id ${unitId}`,
        hint: 'The unit is quarantined; check that the kommune exists in findAlleKommuner.',
      },
    );
  }
  try {
    return formatMatrikkelnummer(parseMatrikkelnummer(text));
  } catch (error) {
    const reason = error instanceof InvalidIdentifierError ? error.reason : String(error);
    throw new InvalidIdentifierError(
      'matrikkelnummer',
      text,
      `matrikkelenhet id ${unitId} has an impossible matrikkelnummer: ${reason}`,
      {
        system: 'matrikkel',
        record: `matrikkelenhet id ${unitId}`,
        hint: 'The unit is quarantined; report it to Kartverket.',
        cause: error,
      },
    );
  }
}

/** Everything toProperty needs, already resolved from the register. */
export interface PropertyParts {
  enhet: MatrikkelenhetWire;
  key: string;
  kommunenummer: string;
  owners: Owner[];
  addresses: Address[];
  buildings: string[];
  representationPoint?: Point;
  /** Keys of the units that replaced an utgått unit (split or merge), when it has any. */
  successors?: string[];
  fetchedAt: string;
}

/** A matrikkelenhet and its parts as a canonical Property. */
export function toProperty(parts: PropertyParts): Property {
  const area =
    parts.enhet.historiskOppgittAreal === undefined ? undefined : Number(parts.enhet.historiskOppgittAreal);
  return {
    matrikkelnummer: parts.key,
    kommunenummer: parts.kommunenummer,
    type: TYPES[localType(parts.enhet['@_type'])] ?? 'annen',
    status: parts.enhet.utgatt === 'true' ? 'utgaatt' : 'levende',
    ...(area !== undefined && Number.isFinite(area) && area >= 0 ? { area } : {}),
    owners: parts.owners,
    addresses: parts.addresses,
    buildings: parts.buildings,
    ...(parts.representationPoint ? { representationPoint: parts.representationPoint } : {}),
    ...(parts.successors && parts.successors.length > 0 ? { successors: parts.successors } : {}),
    sources: [
      {
        system: 'matrikkel',
        id: `matrikkelenhet/${parts.enhet.id.value}`,
        ...(parts.enhet.versjon ? { version: parts.enhet.versjon } : {}),
        fetchedAt: parts.fetchedAt,
      },
    ],
  };
}
