import type { Building } from '@registerbro/model';
import type { BygningWire } from '../wire/schemas.js';
import { toPoint } from './to-point.js';

/**
 * A Bygning as a model Building. `bygningstype` is the bygningstypeKodeId's value: the kodeliste
 * lookup (KodelisteService) is not done here, see README "Known gaps".
 */
export function toBuilding(bygning: BygningWire, matrikkelnummer: string[], fetchedAt: string): Building {
  const representationPoint = toPoint(bygning.representasjonspunkt);
  return {
    bygningsnummer: bygning.bygningsnummer ?? '',
    ...(bygning.bygningstypeKodeId ? { bygningstype: bygning.bygningstypeKodeId.value } : {}),
    ...(bygning.bygningsstatusKodeId ? { status: bygning.bygningsstatusKodeId.value } : {}),
    matrikkelnummer,
    ...(representationPoint ? { representationPoint } : {}),
    sources: [{ system: 'matrikkel', id: `bygg/${bygning.id.value}`, version: bygning.versjon, fetchedAt }],
  };
}
