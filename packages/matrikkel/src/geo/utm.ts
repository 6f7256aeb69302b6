/**
 * EUREF89 geographic (EPSG:4258, ≈ WGS84 EPSG:4326 in Norway at metre level) ↔ EUREF89 UTM
 * (EPSG:25832/25833/25835) by Krüger's series (Karney 2011, to third order: sub-millimetre within
 * a zone and centimetres far outside it), on the GRS80 ellipsoid.
 */
const A_AXIS = 6_378_137;
const FLATTENING = 1 / 298.257222101;
const K0 = 0.9996;
const FALSE_EASTING = 500_000;

const n = FLATTENING / (2 - FLATTENING);
const A = (A_AXIS / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
const alpha = [
  n / 2 - (2 * n ** 2) / 3 + (5 * n ** 3) / 16,
  (13 * n ** 2) / 48 - (3 * n ** 3) / 5,
  (61 * n ** 3) / 240,
];
const beta = [n / 2 - (2 * n ** 2) / 3 + (37 * n ** 3) / 96, n ** 2 / 48 + n ** 3 / 15, (17 * n ** 3) / 480];
const delta = [
  2 * n - (2 * n ** 2) / 3 - 2 * n ** 3,
  (7 * n ** 2) / 3 - (8 * n ** 3) / 5,
  (56 * n ** 3) / 15,
];
const E2N = (2 * Math.sqrt(n)) / (1 + n);
const RAD = Math.PI / 180;

/** Central meridian of the UTM zone of an EPSG code (25832 → 9°, 25833 → 15°, 25835 → 27°). */
export function centralMeridian(epsg: number): number {
  const zone = epsg - 25800;
  if (zone < 28 || zone > 38) throw new RangeError(`EPSG:${epsg} is not an EUREF89 UTM zone`);
  return zone * 6 - 183;
}

/** Geographic lon/lat (degrees) → UTM east/north (metres) in the zone of `epsg`. */
export function toUtm(lon: number, lat: number, epsg = 25833): { x: number; y: number } {
  const phi = lat * RAD;
  const lambda = (lon - centralMeridian(epsg)) * RAD;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - E2N * Math.atanh(E2N * Math.sin(phi)));
  const xiP = Math.atan2(t, Math.cos(lambda));
  const etaP = Math.atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
  let xi = xiP;
  let eta = etaP;
  for (let j = 1; j <= 3; j++) {
    const a = alpha[j - 1] ?? 0;
    xi += a * Math.sin(2 * j * xiP) * Math.cosh(2 * j * etaP);
    eta += a * Math.cos(2 * j * xiP) * Math.sinh(2 * j * etaP);
  }
  return { x: FALSE_EASTING + K0 * A * eta, y: K0 * A * xi };
}

/** UTM east/north (metres) in the zone of `epsg` → geographic lon/lat (degrees). */
export function fromUtm(x: number, y: number, epsg = 25833): { lon: number; lat: number } {
  const xi = y / (K0 * A);
  const eta = (x - FALSE_EASTING) / (K0 * A);
  let xiP = xi;
  let etaP = eta;
  for (let j = 1; j <= 3; j++) {
    const b = beta[j - 1] ?? 0;
    xiP -= b * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    etaP -= b * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xiP) / Math.cosh(etaP));
  let phi = chi;
  for (let j = 1; j <= 3; j++) phi += (delta[j - 1] ?? 0) * Math.sin(2 * j * chi);
  const lambda = Math.atan2(Math.sinh(etaP), Math.cos(xiP));
  return { lon: centralMeridian(epsg) + lambda / RAD, lat: phi / RAD };
}

/** True for the geographic CRSs we accept (EUREF89 and WGS84 lat/lon). */
export function isGeographic(epsg: number): boolean {
  return epsg === 4258 || epsg === 4326;
}

/** Transform a point between the supported CRSs (4258/4326 ↔ 258xx). */
export function transform(
  point: { x: number; y: number },
  from: number,
  to: number,
): { x: number; y: number } {
  if (from === to || (isGeographic(from) && isGeographic(to))) return point;
  const geo = isGeographic(from) ? { lon: point.x, lat: point.y } : fromUtm(point.x, point.y, from);
  if (isGeographic(to)) return { x: geo.lon, y: geo.lat };
  return toUtm(geo.lon, geo.lat, to);
}

/** Distance in metres from a point to a closed ring (0 inside), all in one UTM CRS. */
export function distanceToRing(
  p: { x: number; y: number },
  ring: readonly { x: number; y: number }[],
): number {
  let inside = false;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = dx * dx + dy * dy;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len));
    best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
  }
  return inside ? 0 : best;
}
