/**
 * The simulator's Kartverket eiendom-API (`/eiendom/v1/geokoding`, `/punkt`, `/punkt/omrader`):
 * GeoJSON teiger of the world's units plus seeded fixtures, with the statuses, fields and exact
 * error messages of Kartverket's own contract tests
 * (specs/matrikkel/examples/eiendom-api-v1-contract-tests.tavern.yaml).
 */
import type { SimRequest, SimResponse, World } from '@registerbro/testkit';
import { distanceToRing, isGeographic, transform } from '../geo/utm.js';

/** A teig (or anleggsprojeksjonsflate) for the eiendom-API beyond the world's own units. */
export interface EiendomTeigFixture {
  kommunenummer: string;
  /** The units the teig belongs to; empty for a teig without a registered unit (a "falsk" 0/1). */
  matrikkelenheter: {
    gardsnummer: number;
    bruksnummer: number;
    festenummer?: number;
    seksjonsnummer?: number;
  }[];
  lokalid: number;
  /** @default true */
  hovedomrade?: boolean;
  /** `YYYY-MM-DDTHH:mm:ss` as the API writes it. */
  oppdateringsdato: string;
  /** @default 'Teig' */
  objekttype?: 'Teig' | 'Anleggsprojeksjonsflate';
  /** @default 'Gult' */
  noyaktighetsklasse?: string;
  /** @default false */
  uregistrertjordsameie?: boolean;
  /** Representation point, EPSG:25833. */
  point: { x: number; y: number };
  /** Closed ring, EPSG:25833. @default a 20 m square around the point */
  polygon?: { x: number; y: number }[];
}

interface Teig {
  kommunenummer: string;
  units: { g: number; b: number; f: number; s: number }[];
  lokalid: number;
  hoved: boolean;
  oppdateringsdato: string;
  objekttype: string;
  noyaktighet: string;
  uregistrert: boolean;
  point: { x: number; y: number };
  ring: { x: number; y: number }[];
}

function json(status: number, body: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(body),
  };
}

function error(message: string): SimResponse {
  return json(400, { errors: { message } });
}

function square(p: { x: number; y: number }, half = 10) {
  return [
    { x: p.x - half, y: p.y - half },
    { x: p.x + half, y: p.y - half },
    { x: p.x + half, y: p.y + half },
    { x: p.x - half, y: p.y + half },
    { x: p.x - half, y: p.y - half },
  ];
}

function teiger(world: World, fixtures: readonly EiendomTeigFixture[]): Teig[] {
  const out: Teig[] = fixtures.map((f) => ({
    kommunenummer: f.kommunenummer,
    units: f.matrikkelenheter.map((m) => ({
      g: m.gardsnummer,
      b: m.bruksnummer,
      f: m.festenummer ?? 0,
      s: m.seksjonsnummer ?? 0,
    })),
    lokalid: f.lokalid,
    hoved: f.hovedomrade ?? true,
    oppdateringsdato: f.oppdateringsdato,
    objekttype: f.objekttype ?? 'Teig',
    noyaktighet: f.noyaktighetsklasse ?? 'Gult',
    uregistrert: f.uregistrertjordsameie ?? false,
    point: f.point,
    ring: f.polygon ?? square(f.point),
  }));
  for (const p of world.properties.values()) {
    if (p.status !== 'levende') continue;
    out.push({
      kommunenummer: p.kommunenummer,
      units: [{ g: p.gardsnummer, b: p.bruksnummer, f: p.festenummer, s: p.seksjonsnummer }],
      lokalid: 400_000_000 + Number(p.id),
      hoved: true,
      oppdateringsdato: p.updatedAt.slice(0, 19),
      objekttype: 'Teig',
      noyaktighet: 'Gult',
      uregistrert: false,
      point: p.point,
      ring: p.teig.length > 2 ? p.teig : square(p.point),
    });
  }
  return out;
}

function tekst(t: Teig): string {
  const first = t.units[0];
  if (!first) return '0/1';
  if (t.units.length > 1) return `${first.g}/${t.units.map((u) => u.b).join(',')}`;
  return first.f === 0 && first.s === 0
    ? `${first.g}/${first.b}`
    : `${first.g}/${first.b}/${first.f}/${first.s}`;
}

function round(n: number, epsg: number): number {
  const f = isGeographic(epsg) ? 1e5 : 1e4;
  return Math.round(n * f) / f;
}

function coords(p: { x: number; y: number }, epsg: number): [number, number] {
  const t = transform(p, 25833, epsg);
  return [round(t.x, epsg), round(t.y, epsg)];
}

function properties(t: Teig, unit?: { g: number; b: number; f: number; s: number }): Record<string, unknown> {
  const u = unit ?? t.units[0];
  return {
    kommunenummer: t.kommunenummer,
    gardsnummer: u ? u.g : null,
    bruksnummer: u ? u.b : null,
    festenummer: u ? u.f : null,
    seksjonsnummer: u ? u.s : null,
    hovedområde: t.hoved,
    lokalid: t.lokalid,
    oppdateringsdato: t.oppdateringsdato,
    teigmedflerematrikkelenheter: t.units.length > 1,
    uregistrertjordsameie: t.uregistrert,
    objekttype: t.objekttype,
    matrikkelnummertekst: tekst(t),
    nøyaktighetsklasseteig: t.noyaktighet,
  };
}

/** Keep only the dotted paths named in `filtrer` (e.g. `features.properties.hovedområde`). */
function filtrer(body: Record<string, unknown>, spec: string | null): Record<string, unknown> {
  if (!spec) return body;
  const paths = spec
    .split(',')
    .map((p) => p.trim().split('.'))
    .filter((p) => p.length > 0);
  const pick = (value: unknown, wanted: string[][]): unknown => {
    if (Array.isArray(value)) return value.map((v) => pick(v, wanted));
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const rest = wanted.filter((p) => p[0] === key).map((p) => p.slice(1));
      if (rest.length === 0) continue;
      out[key] = rest.some((p) => p.length === 0) ? v : pick(v, rest);
    }
    return out;
  };
  return pick(body, paths) as Record<string, unknown>;
}

/** Parse `kkkk-g/b[/f[/s]]` with the API's own error messages. */
function parseMatrikkelnummer(
  text: string,
): { k: string; g: number; b: number; f: number; s: number } | string {
  if (/[^0-9/\-\s]/.test(text)) {
    return 'Ugyldig(e) tegn i søkeparameteret. Husk på at matrikkelnummer bruker skråstreker /, og ikke bakstreker (omvendt skråstrek) \\.';
  }
  const dash = text.indexOf('-');
  if (dash === -1)
    return 'Feil i matrikkelnummeret, forventer en bindestrek mellom kommunenummer-gardsnummer';
  const k = text.slice(0, dash).trim();
  const rest = text.slice(dash + 1).trim();
  if (!rest.includes('/')) return 'Mangler skråstrek i matrikkelnummeret etter gardsnummeret.';
  const parts = rest.split('/').map((p) => Number(p.trim()));
  if (!/^\d{4}$/.test(k) || parts.length > 4 || parts.some((p) => !Number.isInteger(p) || p < 0)) {
    return 'Feil i matrikkelnummeret, forventer formatet kommunenummer-gardsnummer/bruksnummer/festenummer/seksjonsnummer';
  }
  return { k, g: parts[0] ?? 0, b: parts[1] ?? 0, f: parts[2] ?? 0, s: parts[3] ?? 0 };
}

function outCrs(q: URLSearchParams): number | string {
  const raw = q.get('utkoordsys');
  if (raw === null) return 4258;
  const n = Number(raw);
  return [4258, 4326, 25832, 25833, 25835].includes(n) ? n : `Ukjent utkoordsys ${raw}`;
}

/** Handle `/eiendom/v1/*`. */
export function handleEiendomApi(
  world: World,
  req: SimRequest,
  fixtures: readonly EiendomTeigFixture[],
): SimResponse {
  const q = req.query;
  const path = req.path.replace(/\/+$/, '');
  const crs = outCrs(q);
  if (typeof crs === 'string') return error(crs);
  const crsElement = q.has('utkoordsys')
    ? { crs: { type: 'name', properties: { name: `EPSG:${crs}` } } }
    : {};
  const all = teiger(world, fixtures);

  // https://api.kartverket.no/eiendom/v1/geokoding
  if (path === '/eiendom/v1/geokoding') {
    let wanted: { k: string; g: number; b: number; f: number; s: number };
    const mnr = q.get('matrikkelnummer');
    if (mnr !== null) {
      const parsed = parseMatrikkelnummer(mnr);
      if (typeof parsed === 'string') return error(parsed);
      wanted = parsed;
    } else if (q.has('kommunenummer') && q.has('gardsnummer')) {
      wanted = {
        k: q.get('kommunenummer') ?? '',
        g: Number(q.get('gardsnummer')),
        b: Number(q.get('bruksnummer') ?? 0),
        f: Number(q.get('festenummer') ?? 0),
        s: Number(q.get('seksjonsnummer') ?? 0),
      };
    } else {
      return error('Mangler søkeparameter: matrikkelnummer eller kommunenummer og gardsnummer');
    }
    const match = (w: typeof wanted) =>
      all.filter(
        (t) =>
          t.kommunenummer === w.k &&
          t.units.some((u) => u.g === w.g && u.b === w.b && u.f === w.f && u.s === w.s),
      );
    let hits = match(wanted);
    // A seksjon has no teig of its own: answer with the unit it belongs to.
    if (hits.length === 0 && wanted.s > 0) hits = match({ ...wanted, s: 0 });
    hits.sort(
      (a, b) =>
        Number(b.hoved) - Number(a.hoved) ||
        (a.objekttype === 'Teig' ? -1 : 1) - (b.objekttype === 'Teig' ? -1 : 1),
    );
    const omrade = q.get('omrade') === 'true';
    const features = hits.map((t) => ({
      type: 'Feature',
      properties: properties(t),
      geometry: omrade
        ? { type: 'Polygon', coordinates: [t.ring.map((p) => coords(p, crs))] }
        : { type: 'Point', coordinates: coords(t.point, crs) },
    }));
    return json(200, filtrer({ ...crsElement, type: 'FeatureCollection', features }, q.get('filtrer')));
  }

  // https://api.kartverket.no/eiendom/v1/punkt and /punkt/omrader
  if (path === '/eiendom/v1/punkt' || path === '/eiendom/v1/punkt/omrader') {
    const nord = Number(q.get('nord'));
    const ost = Number(q.get('ost'));
    const koordsys = Number(q.get('koordsys') ?? 4258);
    const radius = Number(q.get('radius') ?? 0);
    if (!Number.isFinite(nord) || !Number.isFinite(ost)) return error('Mangler nord og ost');
    if (![4258, 4326, 25832, 25833, 25835].includes(koordsys)) return error(`Ukjent koordsys ${koordsys}`);
    const center = transform({ x: ost, y: nord }, koordsys, 25833);
    const perPage = Math.min(Number(q.get('treffPerSide') ?? 10), 1000);
    const hits = all
      .filter((t) => t.objekttype === 'Teig')
      .map((t) => ({ t, d: distanceToRing(center, t.ring) }))
      .filter((h) => h.d <= radius)
      .sort((a, b) => a.d - b.d)
      .slice(0, perPage);
    if (path === '/eiendom/v1/punkt') {
      const eiendom = hits.map(({ t, d }) => ({ ...properties(t), meterFraPunkt: Math.round(d) }));
      return json(200, filtrer({ eiendom }, q.get('filtrer')));
    }
    const features = hits.map(({ t, d }) => ({
      type: 'Feature',
      properties: { ...properties(t), meterFraPunkt: Math.round(d) },
      geometry: { type: 'Polygon', coordinates: [t.ring.map((p) => coords(p, crs))] },
    }));
    return json(200, filtrer({ ...crsElement, type: 'FeatureCollection', features }, q.get('filtrer')));
  }
  return json(404, { errors: { message: `Ukjent sti ${req.path}` } });
}
