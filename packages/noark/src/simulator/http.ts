import type { SimRequest, SimResponse } from '@registerbro/testkit';
import { NOARK5_MEDIA_TYPE } from '../wire/tg.js';

/** A TG JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': `${NOARK5_MEDIA_TYPE}; charset=utf-8`, ...headers },
    body: JSON.stringify(body),
  };
}

/** A TG error in the standard's shape `{feil: {kode, beskrivelse}}`. */
export function feil(status: number, beskrivelse: string): SimResponse {
  return json(status, { feil: { kode: status, beskrivelse } });
}

/** The API base URL as the client reached it (links must point back at the same host). */
export function baseOf(req: SimRequest): string {
  return `http://${req.headers.host ?? '127.0.0.1'}/api`;
}

/** Parse a JSON request body, refusing a media type the TG does not use. */
export function readJson(
  req: SimRequest,
): { ok: true; value: Record<string, unknown> } | { ok: false; response: SimResponse } {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.includes(NOARK5_MEDIA_TYPE) && !type.includes('application/json')) {
    return {
      ok: false,
      response: feil(415, `Unsupported Media Type: ${type || 'none'}; use ${NOARK5_MEDIA_TYPE}`),
    };
  }
  try {
    const value = JSON.parse(req.body) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, response: feil(400, 'Bad Request: the body must be a JSON object') };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, response: feil(400, 'Bad Request: malformed JSON') };
  }
}

/** The `If-Match` check: missing → 428, stale → 409 (the TG's conflict status). */
export function checkIfMatch(req: SimRequest, etag: string): SimResponse | undefined {
  const ifMatch = req.headers['if-match'];
  if (ifMatch === undefined) return feil(428, 'Precondition Required: send If-Match with the ETag you read');
  const tags = String(ifMatch)
    .split(',')
    .map((t) => t.trim());
  if (!tags.includes(etag) && !tags.includes('*')) {
    return feil(409, `Conflict: the object has changed (ETag ${etag}); read it again`);
  }
  return undefined;
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
