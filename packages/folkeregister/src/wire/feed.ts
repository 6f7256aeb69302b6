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
   * The event's sequence number: its own when readable and it fits between its valid neighbours,
   * otherwise the lowest it can have from its position, so the cursor can move past it without
   * skipping a real event.
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
 * @throws UpstreamInvalidError when the body is not an array at all, or an invalid event's sequence
 *   number does not fit between its valid neighbours (nothing can be handed on; the cursor stays)
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
  // Only an event that passes the schema is trusted for its own number. An invalid one may claim
  // any number, so it is held to the room its valid neighbours leave: more than the element before
  // it, and low enough that the elements after it still fit below the next valid event (or, with
  // none after it, no further than contiguous numbering reaches from the last valid one).
  const results = body.map((raw) => LagretHendelseWireSchema.safeParse(raw));
  // For each index: the number the next valid event at or after it holds, minus the distance to it.
  const ceiling = new Array<number | undefined>(body.length);
  let nextValid: { index: number; seq: number } | undefined;
  for (let index = body.length - 1; index >= 0; index--) {
    const result = results[index];
    if (result?.success) nextValid = { index, seq: result.data.sekvensnummer };
    ceiling[index] = nextValid ? nextValid.seq - (nextValid.index - index) : undefined;
  }

  const events: LagretHendelseWire[] = [];
  const invalid: InvalidFeedEvent[] = [];
  let previousSeq = requestedSeq - 1;
  let lastValid = { index: -1, seq: requestedSeq - 1 };
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
    const parsed = results[index] ?? LagretHendelseWireSchema.safeParse(raw);
    if (parsed.success) {
      events.push(parsed.data);
      previousSeq = parsed.data.sekvensnummer;
      lastValid = { index, seq: previousSeq };
      last = previousSeq;
      continue;
    }
    const rawObj = raw as {
      sekvensnummer?: unknown;
      hendelse?: { folkeregisteridentifikator?: unknown };
    };
    const lowest = previousSeq + 1;
    const highest = ceiling[index] ?? lastValid.seq + (index - lastValid.index);
    const ownSeq = rawObj.sekvensnummer;
    const readable = typeof ownSeq === 'number' && Number.isSafeInteger(ownSeq);
    if (readable ? ownSeq < lowest || ownSeq > highest : lowest > highest) {
      // A stale, replayed or far-ahead number (or no room at all for this element): trusting it
      // or guessing another could move the cursor past real events. Nothing is handed on.
      throw new UpstreamInvalidError(
        `Folkeregisteret: feed page for seq=${requestedSeq} holds an invalid event at ${index} whose sequence number ${readable ? ownSeq : '(unreadable)'} does not fit between ${lowest} and ${highest}`,
        {
          system: 'folkeregister',
          excerpt: excerptOf(raw),
          hint: 'The feed page is inconsistent; the cursor is not moved. Retry later, and report it to Skatteetaten if it stays.',
        },
      );
    }
    // An unreadable number takes the lowest it can have: a cursor cut right after it can then only
    // make the next read repeat events, never skip one.
    const seq = readable ? ownSeq : lowest;
    previousSeq = seq;
    last = seq;
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
  return { events, invalid, lastSekvensnummer: last };
}
