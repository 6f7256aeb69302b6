/**
 * The simulator's Geonorge adresse-API (`/adresser/v1/sok` and `/punktsok`), answering the shapes
 * of specs/matrikkel/schema/adresse-api-v1.2.0.swagger2.json: paging with `side` (from 0) and
 * `treffPerSide` (≤ 1000), at most 10 000 results reachable.
 */
import type { SimRequest, SimResponse, World, WorldAddress } from '@registerbro/testkit';
import { distanceToRing, isGeographic, transform } from '../geo/utm.js';

const MAX_PER_PAGE = 1000;
const MAX_RESULTS = 10_000;

function json(status: number, body: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(body),
  };
}

function badRequest(message: string): SimResponse {
  return json(400, { code: 400, message });
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function point(a: WorldAddress, epsg: number) {
  const p = transform(a.point, 25833, epsg);
  // The API names the axes lat/lon also for UTM: lat = north, lon = east.
  return isGeographic(epsg)
    ? { epsg: `EPSG:${epsg}`, lat: round(p.y, 8), lon: round(p.x, 8) }
    : { epsg: `EPSG:${epsg}`, lat: round(p.y, 3), lon: round(p.x, 3) };
}

function adressetekst(a: WorldAddress, world: World): string {
  if (a.kind === 'vegadresse') return `${a.adressenavn ?? ''} ${a.husnummer ?? ''}${a.bokstav ?? ''}`.trim();
  const p = world.properties.get(a.propertyId);
  return `${p?.gardsnummer ?? 0}/${p?.bruksnummer ?? 0}${a.undernummer ? `-${a.undernummer}` : ''}`;
}

function output(a: WorldAddress, world: World, epsg: number): Record<string, unknown> {
  const p = world.properties.get(a.propertyId);
  const tekst = adressetekst(a, world);
  return {
    ...(a.adressenavn !== undefined ? { adressenavn: a.adressenavn } : {}),
    adressetekst: tekst,
    adressetekstutenadressetilleggsnavn: tekst,
    ...(a.adressekode !== undefined ? { adressekode: a.adressekode } : {}),
    ...(a.husnummer !== undefined ? { nummer: a.husnummer } : {}),
    ...(a.bokstav !== undefined ? { bokstav: a.bokstav } : { bokstav: '' }),
    kommunenummer: a.kommunenummer,
    kommunenavn: world.kommunenavn.toUpperCase(),
    gardsnummer: p?.gardsnummer ?? 0,
    bruksnummer: p?.bruksnummer ?? 0,
    festenummer: p?.festenummer ?? 0,
    ...(a.undernummer !== undefined ? { undernummer: a.undernummer } : {}),
    bruksenhetsnummer: [],
    objtype: a.kind === 'vegadresse' ? 'Vegadresse' : 'Matrikkeladresse',
    poststed: a.poststed.toUpperCase(),
    postnummer: a.postnummer,
    stedfestingverifisert: true,
    representasjonspunkt: point(a, epsg),
    oppdateringsdato: a.updatedAt,
  };
}

function page<T>(
  q: URLSearchParams,
  hits: T[],
  sok: string,
  map: (hit: T) => Record<string, unknown>,
): SimResponse {
  const perPage = intParam(q, 'treffPerSide') ?? 10;
  const side = intParam(q, 'side') ?? 0;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return badRequest(`treffPerSide må være et heltall mellom 1 og ${MAX_PER_PAGE}`);
  }
  if (!Number.isInteger(side) || side < 0) return badRequest('side må være et heltall fra 0');
  const from = side * perPage;
  if (from + perPage > MAX_RESULTS) {
    return badRequest(`Kan ikke vise treff utover de ${MAX_RESULTS} første; avgrens søket`);
  }
  const slice = hits.slice(from, from + perPage);
  return json(200, {
    metadata: {
      sokeStreng: sok,
      totaltAntallTreff: hits.length,
      viserFra: slice.length ? from + 1 : 0,
      viserTil: from + slice.length,
      asciiKompatibel: q.get('asciiKompatibel') !== 'false',
      side,
      treffPerSide: perPage,
    },
    adresser: slice.map(map),
  });
}

/** Handle `/adresser/v1/*`. */
export function handleAdresseApi(world: World, req: SimRequest): SimResponse {
  const q = req.query;
  if (req.method !== 'GET') return json(405, { code: 405, message: 'Kun GET' });
  const utkoordsys = intParam(q, 'utkoordsys') ?? 4258;
  if (![4258, 4326, 25832, 25833, 25835].includes(utkoordsys))
    return badRequest(`Ukjent utkoordsys ${utkoordsys}`);
  const path = req.path.replace(/\/+$/, '');
  // https://ws.geonorge.no/adresser/v1/#/default/get_sok
  if (path === '/adresser/v1/sok') {
    const tokens = (q.get('sok') ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    const eq = (name: string, value: unknown) => {
      const wanted = q.get(name);
      return wanted === null || wanted === '' || String(value ?? '').toLowerCase() === wanted.toLowerCase();
    };
    const hits: WorldAddress[] = [];
    for (const a of world.addresses.values()) {
      const p = world.properties.get(a.propertyId);
      const text =
        `${adressetekst(a, world)} ${a.postnummer} ${a.poststed} ${world.kommunenavn}`.toLowerCase();
      if (tokens.some((t) => !text.includes(t))) continue;
      if (
        !eq('adressenavn', a.adressenavn) ||
        !eq('adressekode', a.adressekode) ||
        !eq('nummer', a.husnummer)
      )
        continue;
      if (q.has('bokstav') && (q.get('bokstav') ?? '') !== (a.bokstav ?? '')) continue;
      if (
        !eq('kommunenummer', a.kommunenummer) ||
        !eq('postnummer', a.postnummer) ||
        !eq('poststed', a.poststed)
      )
        continue;
      if (
        !eq('gardsnummer', p?.gardsnummer) ||
        !eq('bruksnummer', p?.bruksnummer) ||
        !eq('festenummer', p?.festenummer)
      )
        continue;
      if (!eq('objtype', a.kind === 'vegadresse' ? 'Vegadresse' : 'Matrikkeladresse')) continue;
      hits.push(a);
    }
    hits.sort((x, y) => Number(x.id) - Number(y.id));
    return page(q, hits, q.get('sok') ?? '', (a) => output(a, world, utkoordsys));
  }
  // https://ws.geonorge.no/adresser/v1/#/default/get_punktsok
  if (path === '/adresser/v1/punktsok') {
    const lat = Number(q.get('lat'));
    const lon = Number(q.get('lon'));
    const radius = intParam(q, 'radius');
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || radius === undefined || Number.isNaN(radius)) {
      return badRequest('lat, lon og radius er påkrevd');
    }
    const koordsys = intParam(q, 'koordsys') ?? 4258;
    const center = isGeographic(koordsys)
      ? transform({ x: lon, y: lat }, koordsys, 25833)
      : transform({ x: lon, y: lat }, koordsys, 25833);
    const hits: { a: WorldAddress; d: number }[] = [];
    for (const a of world.addresses.values()) {
      const d = distanceToRing(center, [a.point]);
      if (d <= radius) hits.push({ a, d });
    }
    hits.sort((x, y) => x.d - y.d);
    return page(q, hits, '', ({ a, d }) => ({
      ...output(a, world, utkoordsys),
      meterDistanseTilPunkt: round(d, 1),
    }));
  }
  return json(404, { code: 404, message: `Ukjent sti ${req.path}` });
}
