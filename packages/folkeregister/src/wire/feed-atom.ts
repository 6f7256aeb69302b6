import { parseXml } from '@registerbro/transport';
import { type ParsedFeedPage, parseFeedPage } from './feed.js';

/**
 * The feed as Atom (`Accept: application/atom+xml`): each `entry/content/lagretHendelse` holds the
 * same fields as the JSON feed, in the namespace `folkeregisteret:tilgjengeliggjoering:hendelse:v1`.
 * Prefixes do not matter (parsed with removeNSPrefix). The entries are turned into the JSON shape
 * and validated by the same schema, so both formats end in the same {@link ParsedFeedPage}.
 *
 * @see https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/hendelsesliste/
 */
export function parseFeedAtom(xml: string, requestedSeq: number): ParsedFeedPage {
  const doc = parseXml(xml, {
    system: 'folkeregister',
    arrayPaths: ['feed.entry'],
    record: 'hendelser/feed',
  });
  const feed = (doc.feed ?? {}) as { entry?: unknown[] };
  const events = (feed.entry ?? []).map((entry) => {
    const stored = ((entry as { content?: { lagretHendelse?: Record<string, unknown> } }).content
      ?.lagretHendelse ?? {}) as { sekvensnummer?: unknown; hendelse?: unknown };
    const seqText = stored.sekvensnummer;
    const seq =
      typeof seqText === 'string' && /^\d+$/.test(seqText.trim()) ? Number(seqText.trim()) : seqText;
    return { ...stored, sekvensnummer: seq };
  });
  return parseFeedPage(events, requestedSeq);
}
