import { z } from 'zod';

/**
 * Extracts (`uttrekk`): order a job (`GET uttrekk/komplett`, `POST uttrekk/tilpasset`), then read
 * its batches (`GET uttrekk/{jobbid}/batch/{n}`): 404 while the batch is not ready, `{}` (no
 * identifiers) after the last batch, 410 when the job is gone, 429 above 10 concurrent jobs.
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/uttrekk/
 */
export const UttrekkJobbResponseWireSchema = z.looseObject({
  jobbId: z.string().optional(),
  feilmelding: z.string().optional(),
});
/** A validated extract order answer. */
export type UttrekkJobbResponseWire = z.infer<typeof UttrekkJobbResponseWireSchema>;

/** `UttrekkDataResponse`: one batch of identifiers; `{}` after the last batch. */
export const UttrekkDataResponseWireSchema = z.looseObject({
  foedselsEllerDNummer: z.array(z.string()).optional(),
  dokumentidentifikator: z.array(z.string()).optional(),
  feilmelding: z.string().optional(),
});
/** A validated extract batch. */
export type UttrekkDataResponseWire = z.infer<typeof UttrekkDataResponseWireSchema>;

/** Body of `POST uttrekk/tilpasset` (`TilpassetUttrekkJobbRequest`). Enum values as the register writes them. */
export interface TilpassetUttrekkJobbRequestWire {
  personstatustyper: ('aktiv' | 'bosatt' | 'utflyttet' | 'doed' | 'inaktiv')[];
  kommunenummer?: { bostedskommunenummer?: string; oppholdskommunenummer?: string };
  foedselsaarFraOgMed?: string;
  foedselsaarTilOgMed?: string;
  doedsaarFraOgMed?: string;
  doedsaarTilOgMed?: string;
  kjoenn?: 'kvinne' | 'mann';
  sivilstandstype?: string;
  statsborgerskap?: string;
}
