import { z } from 'zod';

/**
 * The event document (`GET hendelser/{id}`, `DokumentForHendelse`): which entities of the person
 * the event touched and how (`registrereNy`, `korrigere`, `annullere`, `korrigereHistorisk`).
 * The feed only names the document; the adapter does not need it (it always re-reads the
 * person's current document, which already reflects corrections and annulments), but the client
 * can fetch it for audits.
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/
 */
export const EgenskapshendelseWireSchema = z.looseObject({
  entitet: z.string(),
  entitetsendring: z.string(),
});

/** `DokumentForHendelse`: the event document, its person and the entities it touched. */
export const DokumentForHendelseWireSchema = z.looseObject({
  dokumentidentifikator: z.string(),
  skjemaversjon: z.string(),
  hendelse: z.looseObject({
    folkeregisteridentifikator: z.string(),
    hendelsestype: z.string(),
    ajourholdstidspunkt: z.string(),
    egenskapshendelse: z.array(EgenskapshendelseWireSchema).optional(),
  }),
});
/** A validated event document. */
export type DokumentForHendelseWire = z.infer<typeof DokumentForHendelseWireSchema>;
