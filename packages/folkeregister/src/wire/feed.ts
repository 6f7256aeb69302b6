import { maskFodselsnummer, UpstreamInvalidError } from '@registerbro/model';
import { z } from 'zod';
import { excerptOf, wireInvalid } from './common.js';

/**
 * The event feed (`GET hendelser/feed?seq=N`): a JSON array of `LagretHendelseMedDokumentIdentifikatorer`,
 * at most 1000 per page, in sequence order.
 *
 * `hendelsetype` is a plain string on purpose: Skatteetaten's own examples use values
 * (`endringIAnnenIdentifikasjon`) that the v1.5 enum lacks, and a new type must never stop the feed.
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/
 */
export const HendelseMedDokumentIdentifikatorerWireSchema = z.looseObject({
  folkeregisteridentifikator: z.string(),
  hendelsetype: z.string(),
  hendelsesdokument: z.string().optional(),
  persondokument: z.string().optional(),
  ajourholdstidspunkt: z.string().optional(),
});

/** One stored event in the feed. */
export const LagretHendelseWireSchema = z.looseObject({
  sekvensnummer: z.number().int().nonnegative(),
  hendelse: HendelseMedDokumentIdentifikatorerWireSchema,
});
/** A validated feed event. */
export type LagretHendelseWire = z.infer<typeof LagretHendelseWireSchema>;

/** A whole feed page (the fast path: one schema call per page). */
export const FeedPageWireSchema = z.array(LagretHendelseWireSchema);

/** The event types of the v1.5 OpenAPI (`Hendelsestype`). Others are kept raw and treated as a generic change. */
export const KNOWN_HENDELSESTYPER: ReadonlySet<string> = new Set([
  'personErOpprettet',
  'personErReaktivert',
  'personErOppdatert',
  'personErOpphoert',
  'personErViderefoertSomGjeldendeVedSammenslaaing',
  'personErOpphoertSomDublett',
  'personErEndretVedSplitting',
  'personErGjenopprettetVedSplitting',
  'personErDoed',
  'personErBosatt',
  'personErUtflyttet',
  'endringIStatus',
  'endringIIdentitetsgrunnlag',
  'endringIUtenlandskPersonidentifikasjon',
  'endringIUtlendingsmyndighetenesIdentifikasjonsnummer',
  'endringILegitimasjonsdokument',
  'endringIIdentifikasjonsnummer',
  'endringIFalskIdentitet',
  'endringIKontaktopplysningerForDoedsbo',
  'endringIDeltBosted',
  'endringIFoedsel',
  'endringIFoedselINorge',
  'endringIKjoenn',
  'endringIFamilierelasjon',
  'endringISivilstand',
  'endringIDoedsfall',
  'endringINavn',
  'endringIAdressebeskyttelse',
  'endringIBostedsadresse',
  'endringIBostedsadresseUtenFlytting',
  'endringIOppholdsadresse',
  'endringIInnflytting',
  'endringIUtflytting',
  'endringIBrukAvSamiskSpraak',
  'endringISametingetsValgmanntall',
  'endringIKontaktinformasjon',
  'endringIForeldreansvar',
  'endringIStatsborgerskap',
  'endringIOpphold',
  'endringIOppholdPaaSvalbard',
  'endringIVergemaal',
  'endringIPerson',
]);

/** An element of a feed page that failed the schema, with the sequence number it must have had. */
export interface InvalidFeedEvent {
  /** Position in the page. */
  index: number;
  /**
   * The event's sequence number: its own when readable, otherwise inferred from its position
   * (feed sequence numbers are contiguous), so the cursor can move past it.
   */
  sekvensnummer: number;
  /** The identifier named by the event, when readable (raw; mask before logging). */
  folkeregisteridentifikator?: string;
  error: UpstreamInvalidError;
}

/** A feed page split into usable events and quarantinable ones. */
export interface ParsedFeedPage {
  events: LagretHendelseWire[];
  invalid: InvalidFeedEvent[];
  /** Highest sequence number in the page (valid or not), or `undefined` for an empty page. */
  lastSekvensnummer: number | undefined;
}

/**
 * Validate a feed page. The whole page is checked with one schema call; only when that fails is
 * each element checked on its own, so a single bad event is quarantined and the rest go on.
 *
 * @param body the parsed JSON body
 * @param requestedSeq the `seq` asked for (the first element's number when it is unreadable)
 * @throws UpstreamInvalidError when the body is not an array at all (nothing can be handed on)
 */
export function parseFeedPage(body: unknown, requestedSeq: number): ParsedFeedPage {
  const fast = FeedPageWireSchema.safeParse(body);
  if (fast.success) {
    const events = fast.data;
    return { events, invalid: [], lastSekvensnummer: events.at(-1)?.sekvensnummer };
  }
  if (!Array.isArray(body)) {
    throw new UpstreamInvalidError('Folkeregisteret: the feed page is not a JSON array', {
      system: 'folkeregister',
      code: 'upstream_invalid',
      excerpt: excerptOf(body),
      hint: 'The register answered the feed with something else (an error body?); the cursor is not moved. Retry later.',
    });
  }
  const events: LagretHendelseWire[] = [];
  const invalid: InvalidFeedEvent[] = [];
  let previousSeq = requestedSeq - 1;
  let last: number | undefined;
  for (let index = 0; index < body.length; index++) {
    const raw: unknown = body[index];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      // Not even an event-shaped object: the page itself is broken, and guessing which sequence
      // number it stands for could skip a real event. Nothing is handed on; the cursor stays.
      throw new UpstreamInvalidError(
        `Folkeregisteret: feed page for seq=${requestedSeq} holds a non-object at ${index}`,
        {
          system: 'folkeregister',
          excerpt: excerptOf(raw),
          hint: 'The feed page is unusable as a whole; the cursor is not moved. Retry later.',
        },
      );
    }
    const parsed = LagretHendelseWireSchema.safeParse(raw);
    if (parsed.success) {
      events.push(parsed.data);
      previousSeq = parsed.data.sekvensnummer;
    } else {
      const rawObj = raw as {
        sekvensnummer?: unknown;
        hendelse?: { folkeregisteridentifikator?: unknown };
      };
      const ownSeq = rawObj.sekvensnummer;
      const seq =
        typeof ownSeq === 'number' && Number.isInteger(ownSeq) && ownSeq > previousSeq
          ? ownSeq
          : previousSeq + 1;
      previousSeq = seq;
      const id = rawObj.hendelse?.folkeregisteridentifikator;
      const rawId = typeof id === 'string' ? id : undefined;
      invalid.push({
        index,
        sekvensnummer: seq,
        folkeregisteridentifikator: rawId,
        error: wireInvalid(`feed event ${seq}`, parsed.error, {
          record: rawId ? `hendelse ${seq} (${maskFodselsnummer(rawId)})` : `hendelse ${seq}`,
          excerpt: excerptOf(raw),
          hint: 'The event is quarantined and the feed goes on; re-fetch the person named by it when the register is fixed.',
        }),
      });
    }
    last = previousSeq;
  }
  return { events, invalid, lastSekvensnummer: last };
}
