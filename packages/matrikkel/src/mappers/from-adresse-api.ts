import { type Address, type Point, UpstreamInvalidError } from '@registerbro/model';

const CRS: Record<string, Point['crs']> = {
  'EPSG:4258': 'EPSG:4258',
  'EPSG:4326': 'EPSG:4326',
  'EPSG:25832': 'EPSG:25832',
  'EPSG:25833': 'EPSG:25833',
  'EPSG:25835': 'EPSG:25835',
};

/**
 * An adresse-API `OutputAdresse` (Geonorge `/sok`, `/punktsok`) as a model Address. The API names
 * both axes `lat`/`lon` also for UTM (lat = north). An address without a kommunenummer cannot be
 * placed and throws UpstreamInvalidError.
 */
export function fromAdresseApi(a: Record<string, unknown>, fetchedAt = new Date().toISOString()): Address {
  const str = (k: string) => (typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : undefined);
  const num = (k: string) => (typeof a[k] === 'number' ? (a[k] as number) : undefined);
  const kommunenummer = str('kommunenummer');
  const tekst = str('adressetekst') ?? '?';
  if (!kommunenummer) {
    throw new UpstreamInvalidError(`adresse-API: address "${tekst}" has no kommunenummer`, {
      system: 'matrikkel',
      code: 'address_without_kommune',
      record: `adresse ${tekst}`,
      hint: 'The address is skipped; report it to Kartverket.',
    });
  }
  const rp = a.representasjonspunkt as { epsg?: string; lat?: number; lon?: number } | undefined;
  const crs = rp?.epsg ? CRS[rp.epsg] : undefined;
  const g = num('gardsnummer');
  const b = num('bruksnummer');
  const kind = str('objtype') === 'Matrikkeladresse' ? 'matrikkeladresse' : 'vegadresse';
  return {
    kind,
    kommunenummer,
    ...(num('adressekode') !== undefined ? { adressekode: String(num('adressekode')) } : {}),
    ...(str('adressenavn') ? { adressenavn: str('adressenavn') } : {}),
    ...(num('nummer') !== undefined ? { husnummer: num('nummer') } : {}),
    ...(str('bokstav') ? { bokstav: str('bokstav') } : {}),
    ...(g !== undefined && b !== undefined
      ? { matrikkelnummer: `${kommunenummer}-${g}/${b}/${num('festenummer') ?? 0}/0` }
      : {}),
    ...(num('undernummer') !== undefined ? { undernummer: num('undernummer') } : {}),
    ...(str('postnummer') ? { postnummer: str('postnummer') } : {}),
    ...(str('poststed') ? { poststed: str('poststed') } : {}),
    ...(crs && typeof rp?.lat === 'number' && typeof rp.lon === 'number'
      ? { representationPoint: { crs, x: rp.lon, y: rp.lat } }
      : {}),
    sources: [{ system: 'matrikkel-adresse-api', id: tekst, fetchedAt }],
  };
}
