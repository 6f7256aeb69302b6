import { z } from 'zod';
import { CrsSchema, SourcesSchema } from './common.js';

const Position = z.array(z.number().finite()).min(2).max(3);

/** A GeoJSON geometry (RFC 7946 shapes; coordinates in `crs`, not necessarily WGS84). */
export const GeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(Position) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(Position)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position).min(4)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position).min(4))) }),
]);
export type Geometry = z.infer<typeof GeometrySchema>;

/** A map feature with an explicit CRS: a property boundary (teig), a case position, … */
export const MapFeatureSchema = z.object({
  id: z.string(),
  layer: z.string(),
  crs: CrsSchema,
  geometry: GeometrySchema,
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  sources: SourcesSchema,
});
export type MapFeature = z.infer<typeof MapFeatureSchema>;
