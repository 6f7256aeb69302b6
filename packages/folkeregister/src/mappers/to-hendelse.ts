import { InvalidIdentifierError, isFodselsnummer, maskFodselsnummer } from '@registerbro/model';
import { KNOWN_HENDELSESTYPER } from '../wire/feed.js';
import type { DokumentForHendelseWire } from '../wire/hendelse.js';

/** What an event document says, in the terms the sync engine cares about. */
export interface HendelseSummary {
  /** The person's identifier named by the event. */
  key: string;
  /** Raw `hendelsestype` (kept even when not in the v1.5 enum). */
  hendelsestype: string;
  /** False for a type the v1.5 OpenAPI does not list: treat it as a generic change of the person. */
  known: boolean;
  at: string;
  /** Entities touched, with how (`registrereNy`, `korrigere`, `annullere`, `korrigereHistorisk`). */
  entities: { entitet: string; entitetsendring: string }[];
  /** True when the event corrects earlier information (`korrigere`, `korrigereHistorisk`). */
  correction: boolean;
  /** True when the event annuls earlier information (`annullere`). */
  annulment: boolean;
}

/**
 * Summarise an event document (`GET hendelser/{id}`). Corrections and annulments are flagged; the
 * adapter never applies them piecemeal, it re-reads the person's current document instead.
 * @throws InvalidIdentifierError when the event names an identifier that fails its check digits
 */
export function toHendelse(doc: DokumentForHendelseWire): HendelseSummary {
  const h = doc.hendelse;
  if (!isFodselsnummer(h.folkeregisteridentifikator)) {
    throw new InvalidIdentifierError(
      'fodselsnummer',
      maskFodselsnummer(h.folkeregisteridentifikator),
      'fails its check digits or date',
      {
        system: 'folkeregister',
        record: `hendelse ${doc.dokumentidentifikator} (${maskFodselsnummer(h.folkeregisteridentifikator)})`,
        hint: 'Folkeregisteret named an invalid identifier; the event is quarantined. Report it to Skatteetaten.',
      },
    );
  }
  const entities = (h.egenskapshendelse ?? []).map((e) => ({
    entitet: e.entitet,
    entitetsendring: e.entitetsendring,
  }));
  return {
    key: h.folkeregisteridentifikator,
    hendelsestype: h.hendelsestype,
    known: KNOWN_HENDELSESTYPER.has(h.hendelsestype),
    at: h.ajourholdstidspunkt,
    entities,
    correction: entities.some(
      (e) => e.entitetsendring === 'korrigere' || e.entitetsendring === 'korrigereHistorisk',
    ),
    annulment: entities.some((e) => e.entitetsendring === 'annullere'),
  };
}
