import { type Address, UpstreamInvalidError } from '@registerbro/model';
import { type AdresseWire, type VegWire, localType } from '../wire/schemas.js';
import { toPoint } from './to-point.js';

/** What toAddress needs besides the address itself. */
export interface AddressContext {
  /** The street of a vegadresse (from its vegId). */
  veg?: VegWire;
  /** KommuneId → kommunenummer. */
  kommunenummerOf: (kommuneId: string) => string | undefined;
  /** The unit the address lies on: its key and kommunenummer (for a matrikkeladresse). */
  unitKey: string;
  unitKommunenummer: string;
  fetchedAt: string;
}

/**
 * A Vegadresse or Matrikkeladresse as a model Address. A vegadresse's kommune comes from its Veg;
 * an address without one cannot be placed, so it throws UpstreamInvalidError naming the address
 * and the unit (the unit is quarantined).
 */
export function toAddress(adresse: AdresseWire, context: AddressContext): Address {
  const type = localType(adresse['@_type']);
  const sources = [
    {
      system: 'matrikkel',
      id: `adresse/${adresse.id.value}`,
      version: adresse.versjon,
      fetchedAt: context.fetchedAt,
    },
  ];
  const representationPoint = toPoint(adresse.representasjonspunkt);
  if (type === 'Matrikkeladresse') {
    return {
      kind: 'matrikkeladresse',
      adresseId: adresse.id.value,
      kommunenummer: context.unitKommunenummer,
      matrikkelnummer: context.unitKey,
      ...(adresse.undernummer ? { undernummer: Number(adresse.undernummer) } : {}),
      ...(representationPoint ? { representationPoint } : {}),
      sources,
    };
  }
  const kommuneId = context.veg?.kommuneId?.value;
  const kommunenummer = kommuneId ? context.kommunenummerOf(kommuneId) : undefined;
  if (!context.veg || !kommunenummer) {
    throw new UpstreamInvalidError(
      `matrikkel: vegadresse ${adresse.id.value} on matrikkelenhet ${context.unitKey} has no kommune (${
        context.veg
          ? `its veg ${context.veg.id.value} has ${kommuneId ? `an unknown kommuneId ${kommuneId}` : 'no kommuneId'}`
          : 'its veg is missing'
      })`,
      {
        system: 'matrikkel',
        code: 'address_without_kommune',
        record: `matrikkelenhet ${context.unitKey}`,
        hint: "The unit is quarantined; report the address to the kommune's matrikkel officer.",
      },
    );
  }
  return {
    kind: 'vegadresse',
    adresseId: adresse.id.value,
    kommunenummer,
    ...(context.veg.adressekode ? { adressekode: context.veg.adressekode } : {}),
    ...(context.veg.adressenavn ? { adressenavn: context.veg.adressenavn } : {}),
    ...(adresse.nummer ? { husnummer: Number(adresse.nummer) } : {}),
    ...(adresse.bokstav ? { bokstav: adresse.bokstav } : {}),
    matrikkelnummer: context.unitKey,
    ...(representationPoint ? { representationPoint } : {}),
    sources,
  };
}
