import type { Point } from '@registerbro/model';
import type { RepresentasjonspunktWire } from '../wire/schemas.js';

/** koordinatsystemKodeId → EPSG (FACTS.md: 9/10/11 = EUREF89 UTM 31/32/33). */
const CRS_BY_KODE: Record<string, Point['crs']> = { '10': 'EPSG:25832', '11': 'EPSG:25833' };

/**
 * A representasjonspunkt as a model Point, or undefined when it has no position or a coordinate
 * system we do not carry (UTM 31 is not among the model's CRSs).
 */
export function toPoint(rp: RepresentasjonspunktWire | undefined, defaultKode = '11'): Point | undefined {
  if (!rp?.position) return undefined;
  const crs = CRS_BY_KODE[rp.koordinatsystemKodeId?.value ?? defaultKode];
  const x = Number(rp.position.x);
  const y = Number(rp.position.y);
  if (!crs || !Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  return { crs, x, y };
}
