import type { SimRequest, SimResponse, WorldCase, WorldParty } from '@registerbro/testkit';
import { type FilterExpression, FilterSyntaxError, evaluateFilter, parseFilter } from '../odata/filter.js';
import { REL, TgAdresseWireSchema, TgEksternIdWireSchema, TgKodeWireSchema } from '../wire/tg.js';
import { baseOf, checkIfMatch, feil, header, json, readJson } from './http.js';
import type { ArchiveStore, CaseView } from './store.js';

/**
 * The Noark 5 Tjenestegrensesnitt routes of the simulator (a subset of
 * https://github.com/arkivverket/noark5-tjenestegrensesnitt-standard): saksmappe lists with
 * OData, saksmappe/part/klasse/journalpost reads and compare-and-set writes, and creation.
 */

const FROZEN = new Set(['J', 'E', 'A']);
const MAX_TOP = 1000;

const caseTag = (k: WorldCase) => `"c-${k.version}"`;
const partyTag = (p: WorldParty) => `"p-${p.version}"`;
const classTag = (k: WorldCase) => `"k-${k.version}"`;

type SortKey = { field: string; desc: boolean };

function parseOrderBy(text: string | null): SortKey[] | SimResponse {
  if (!text) return [{ field: 'systemID', desc: false }];
  const keys: SortKey[] = [];
  for (const part of text.split(',')) {
    const [field, dir, extra] = part.trim().split(/\s+/);
    if (!field || extra !== undefined || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
      return feil(400, `Bad Request: $orderby "${text}" is not understood`);
    }
    if (!SORTABLE.has(field)) return feil(400, `Bad Request: cannot order by ${field}`);
    keys.push({ field, desc: dir === 'desc' });
  }
  return keys;
}

const SORTABLE = new Set(['systemID', 'oppdatertDato', 'saksaar', 'sakssekvensnummer', 'tittel']);

function sortValue(v: CaseView, field: string): number | string | bigint {
  switch (field) {
    case 'oppdatertDato':
      return v.oppdatertNs;
    case 'saksaar':
      return v.saksaar;
    case 'sakssekvensnummer':
      return v.sakssekvensnummer;
    case 'tittel':
      return v.tittel;
    default:
      return v.systemID;
  }
}

type Compare = Extract<FilterExpression, { kind: 'compare' }>;

const isCompare = (e: FilterExpression, field: string, op: string): e is Compare =>
  e.kind === 'compare' && e.op === op && e.path.length === 1 && e.path[0] === field;

/**
 * Recognise a keyset condition matching the sort order; `after(v)` is true for the views past the
 * keyset position (a monotonic predicate over the sorted views).
 */
function splitKeyset(
  expr: FilterExpression,
  order: SortKey[],
): { after: (v: CaseView) => boolean; rest?: FilterExpression } | undefined {
  const first = order[0];
  const idGt = (e: FilterExpression): string | undefined =>
    isCompare(e, 'systemID', 'gt') && e.value.type === 'string' ? e.value.value : undefined;
  if (first?.field === 'systemID' && !first.desc) {
    const id = idGt(expr);
    if (id !== undefined) return { after: (v) => v.systemID > id };
    if (expr.kind === 'and') {
      const left = idGt(expr.left);
      if (left !== undefined) return { after: (v) => v.systemID > left, rest: expr.right };
    }
  }
  const second = order[1];
  if (
    order.length === 2 &&
    first?.field === 'oppdatertDato' &&
    !first.desc &&
    second?.field === 'systemID' &&
    !second.desc &&
    expr.kind === 'or' &&
    isCompare(expr.left, 'oppdatertDato', 'gt') &&
    expr.left.value.type === 'datetime' &&
    expr.right.kind === 'and' &&
    isCompare(expr.right.left, 'oppdatertDato', 'eq') &&
    expr.right.left.value.type === 'datetime' &&
    expr.right.left.value.ns === expr.left.value.ns
  ) {
    const ns = expr.left.value.ns;
    const id = idGt(expr.right.right);
    if (id !== undefined)
      return { after: (v) => v.oppdatertNs > ns || (v.oppdatertNs === ns && v.systemID > id) };
  }
  return undefined;
}

/** The TG routes (under `/api`) over the archive store; returns undefined for an unknown path. */
export function createTgRoutes(store: ArchiveStore) {
  const sortCache = new Map<string, { generation: string; views: CaseView[] }>();

  function sorted(keys: SortKey[]): CaseView[] {
    const cacheKey = keys.map((k) => `${k.field}:${k.desc}`).join(',');
    const generation = store.generation();
    const hit = sortCache.get(cacheKey);
    if (hit && hit.generation === generation) return hit.views;
    const views = [...store.world.cases.values()].map((k) => store.view(k));
    views.sort((a, b) => {
      for (const k of keys) {
        const x = sortValue(a, k.field);
        const y = sortValue(b, k.field);
        if (x < y) return k.desc ? 1 : -1;
        if (x > y) return k.desc ? -1 : 1;
      }
      return 0;
    });
    sortCache.clear();
    sortCache.set(cacheKey, { generation, views });
    return views;
  }

  const restCache = new Map<string, { generation: string; views: CaseView[] }>();

  /**
   * The views matching `filter`, in order. A keyset condition on the sort keys (what paging
   * clients send: `systemID gt 'x' and …`, or `oppdatertDato gt T or (oppdatertDato eq T and
   * systemID gt 'x')`) is answered like a database index would: the rest of the filter is
   * evaluated once per data generation and the keyset becomes a binary search.
   */
  function select(filter: FilterExpression | undefined, order: SortKey[]): CaseView[] {
    const all = sorted(order);
    if (!filter) return all;
    const split = splitKeyset(filter, order);
    if (!split) return all.filter((v) => evaluateFilter(filter, v));
    const generation = store.generation();
    const cacheKey = `${order.map((k) => `${k.field}:${k.desc}`).join(',')}|${split.rest ? JSON.stringify(split.rest) : ''}`;
    let hit = restCache.get(cacheKey);
    if (!hit || hit.generation !== generation) {
      if (restCache.size > 16 || (hit && hit.generation !== generation)) restCache.clear();
      const rest = split.rest;
      hit = { generation, views: rest ? all.filter((v) => evaluateFilter(rest, v)) : all };
      restCache.set(cacheKey, hit);
    }
    const views = hit.views;
    const after = split.after;
    let lo = 0;
    let hi = views.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(views[mid] as CaseView)) hi = mid;
      else lo = mid + 1;
    }
    return views.slice(lo);
  }

  function listSaksmapper(req: SimRequest): SimResponse {
    const base = baseOf(req);
    let filter: FilterExpression | undefined;
    const filterText = req.query.get('$filter');
    if (filterText) {
      try {
        filter = parseFilter(filterText);
      } catch (error) {
        if (error instanceof FilterSyntaxError) return feil(400, `Bad Request: ${error.message}`);
        throw error;
      }
    }
    const top = Math.min(Number(req.query.get('$top') ?? 100), MAX_TOP);
    const skip = Number(req.query.get('$skip') ?? 0);
    if (!Number.isInteger(top) || top < 1 || !Number.isInteger(skip) || skip < 0) {
      return feil(400, 'Bad Request: $top and $skip must be whole numbers ($top ≥ 1)');
    }
    const order = parseOrderBy(req.query.get('$orderby'));
    if (!Array.isArray(order)) return order;
    const matches = select(filter, order);
    const page = matches.slice(skip, skip + top);
    const self = `${base}/sakarkiv/saksmappe/`;
    const links: Record<string, { href: string }> = {
      self: { href: `${self}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}` },
      [`${REL}sakarkiv/saksmappe/`]: { href: self },
    };
    if (skip + top < matches.length) {
      const q = new URLSearchParams(req.query);
      q.set('$skip', String(skip + top));
      q.set('$top', String(top));
      links.next = { href: `${self}?${q.toString()}` };
    }
    const results: Record<string, unknown>[] = page.map((v) =>
      store.saksmappeWire(base, store.getCase(v.systemID) as WorldCase),
    );
    if (store.corruptNextList && results.length > 0) {
      // A record a real archive could send after a bad migration: tittel missing, saksaar as text.
      store.corruptNextList = false;
      const { tittel: _t, ...rest } = results[0] as Record<string, unknown>;
      results[0] = { ...rest, saksaar: 'tjuetjueseks' };
    }
    return json(200, { count: matches.length, ...(results.length ? { results } : {}), _links: links });
  }

  function caseOr404(id: string): WorldCase | SimResponse {
    return store.getCase(id) ?? feil(404, `Not Found: sakarkiv/saksmappe/${id}/`);
  }

  function partyIn(kase: WorldCase, id: string): WorldParty | undefined {
    return kase.parties.find((p) => p.systemId === id);
  }

  function putParty(req: SimRequest, kase: WorldCase, party: WorldParty): SimResponse {
    const stale = checkIfMatch(req, partyTag(party));
    if (stale) return stale;
    const body = readJson(req);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v.navn !== 'string' || v.navn.trim() === '') return feil(400, 'Bad Request: navn is required');
    const rolle = v.partRolle === undefined ? undefined : TgKodeWireSchema.safeParse(v.partRolle);
    if (rolle && !rolle.success) return feil(400, 'Bad Request: partRolle must be {kode, kodenavn}');
    const adresse = v.postadresse === undefined ? undefined : TgAdresseWireSchema.safeParse(v.postadresse);
    if (adresse && !adresse.success) return feil(400, 'Bad Request: postadresse is not an EnkelAdresse');
    const at = store.now();
    party.name = v.navn;
    if (rolle?.success) party.role = rolle.data.kode;
    const meta = (v.virksomhetsspesifikkeMetadata ?? {}) as Record<string, unknown>;
    store.setPartyExtra(party.systemId, {
      postadresse: adresse?.success ? adresse.data : null,
      personstatus: typeof meta.personstatus === 'string' ? meta.personstatus : undefined,
    });
    if (adresse?.success) {
      party.address = {
        adresselinje: adresse.data.adresselinje1 ?? '',
        postnummer: adresse.data.postnr ?? '',
        poststed: adresse.data.poststed ?? '',
      };
    } else delete party.address;
    setIdentifier(party, v);
    party.version += 1;
    store.touch(kase, at);
    store.log({
      at,
      kind: 'update_party',
      caseSystemId: kase.systemId,
      targetSystemId: party.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      via: 'tg',
    });
    return json(200, store.partWire(baseOf(req), party), { etag: partyTag(party) });
  }

  /** A PUT body's identifier replaces the party's; a body without one leaves it as it is. */
  function setIdentifier(party: WorldParty, v: Record<string, unknown>): void {
    if (party.kind === 'organisation') {
      if (typeof v.organisasjonsnummer === 'string') party.identifier = v.organisasjonsnummer;
      return;
    }
    if (!Array.isArray(v.personidentifikator)) return;
    const first = (v.personidentifikator as { foedselsnummer?: unknown }[])[0]?.foedselsnummer;
    if (typeof first === 'string' && first !== '') party.identifier = first;
    else delete party.identifier;
  }

  function newParty(req: SimRequest, kase: WorldCase, kind: 'person' | 'organisation'): SimResponse {
    const body = readJson(req);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v.navn !== 'string' || v.navn.trim() === '') return feil(400, 'Bad Request: navn is required');
    const rolle = TgKodeWireSchema.safeParse(v.partRolle);
    if (!rolle.success) return feil(400, 'Bad Request: partRolle is required');
    const adresse = v.postadresse === undefined ? undefined : TgAdresseWireSchema.safeParse(v.postadresse);
    if (adresse && !adresse.success) return feil(400, 'Bad Request: postadresse is not an EnkelAdresse');
    const ids = Array.isArray(v.personidentifikator)
      ? (v.personidentifikator as { foedselsnummer?: unknown }[])
      : [];
    const identifier =
      kind === 'organisation'
        ? typeof v.organisasjonsnummer === 'string'
          ? v.organisasjonsnummer
          : undefined
        : typeof ids[0]?.foedselsnummer === 'string'
          ? (ids[0].foedselsnummer as string)
          : undefined;
    const party = store.addParty(kase, {
      kind,
      name: v.navn,
      role: rolle.data.kode,
      ...(identifier ? { identifier } : {}),
      ...(adresse?.success
        ? {
            address: {
              adresselinje: adresse.data.adresselinje1 ?? '',
              postnummer: adresse.data.postnr ?? '',
              poststed: adresse.data.poststed ?? '',
            },
          }
        : {}),
    });
    if (adresse?.success) store.setPartyExtra(party.systemId, { postadresse: adresse.data });
    store.log({
      kind: 'add_party',
      caseSystemId: kase.systemId,
      targetSystemId: party.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      via: 'tg',
    });
    return json(201, store.partWire(baseOf(req), party), {
      etag: partyTag(party),
      location: `${baseOf(req)}/arkivstruktur/partperson/${party.systemId}/`,
    });
  }

  function createSaksmappe(req: SimRequest): SimResponse {
    const body = readJson(req);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v.tittel !== 'string' || v.tittel.trim() === '')
      return feil(400, 'Bad Request: tittel is required');
    const ext = Array.isArray(v.eksternID) ? TgEksternIdWireSchema.safeParse(v.eksternID[0]) : undefined;
    if (ext && !ext.success) return feil(400, 'Bad Request: eksternID must be [{system, eksternID}]');
    if (ext?.success && store.findByExternalKey(ext.data.eksternID, ext.data.system)) {
      return feil(409, `Conflict: a saksmappe with eksternID ${ext.data.eksternID} exists`);
    }
    const mappetype = TgKodeWireSchema.safeParse(v.mappetype);
    const klasser = [
      v.klasse,
      ...(Array.isArray(v.sekundaerklassifikasjon) ? v.sekundaerklassifikasjon : []),
    ].filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null);
    const classes = klasser.map((k) => ({
      system: String(
        (k.klassifikasjonssystem as { kode?: unknown } | undefined)?.kode ?? 'ARKNOKKEL',
      ) as 'GBNR',
      classId: String(k.klasseID ?? ''),
      title: typeof k.tittel === 'string' ? k.tittel : undefined,
    }));
    if (classes.some((c) => c.classId === '')) return feil(400, 'Bad Request: every klasse needs klasseID');
    const kase = store.createCase({
      title: v.tittel,
      mappetype: mappetype.success ? mappetype.data.kode : 'ANNEN',
      classes: classes.map((c) =>
        c.title === undefined
          ? { system: c.system, classId: c.classId }
          : { system: c.system, classId: c.classId, title: c.title },
      ),
      parties: [],
      ...(ext?.success ? { eksternID: ext.data } : {}),
    });
    store.log({
      kind: 'create_case',
      caseSystemId: kase.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      ...(ext?.success ? { externalKey: ext.data.eksternID } : {}),
      via: 'tg',
    });
    return json(201, store.saksmappeWire(baseOf(req), kase), {
      etag: caseTag(kase),
      location: `${baseOf(req)}/sakarkiv/saksmappe/${kase.systemId}/`,
    });
  }

  function createJournalpost(req: SimRequest, kase: WorldCase): SimResponse {
    const body = readJson(req);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v.tittel !== 'string' || v.tittel.trim() === '')
      return feil(400, 'Bad Request: tittel is required');
    const type = TgKodeWireSchema.safeParse(v.journalposttype);
    if (!type.success || !['I', 'U', 'N', 'X'].includes(type.data.kode))
      return feil(400, 'Bad Request: journalposttype must be I, U, N or X');
    const status = TgKodeWireSchema.safeParse(v.journalstatus);
    const ext = Array.isArray(v.eksternID) ? TgEksternIdWireSchema.safeParse(v.eksternID[0]) : undefined;
    if (ext?.success && store.findRecordByExternalKey(ext.data.eksternID)) {
      return feil(409, `Conflict: a journalpost with eksternID ${ext.data.eksternID} exists`);
    }
    const record = store.createRecord(
      kase,
      {
        title: v.tittel,
        journalposttype: type.data.kode as 'X',
        journalstatus: (status.success ? status.data.kode : 'F') as 'F',
        journalDate: new Date().toISOString().slice(0, 10),
        correspondenceParties: [],
      },
      ext?.success ? ext.data : undefined,
    );
    store.log({
      kind: 'create_record',
      caseSystemId: kase.systemId,
      targetSystemId: record.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      ...(ext?.success ? { externalKey: ext.data.eksternID } : {}),
      via: 'tg',
    });
    return json(201, store.journalpostWire(baseOf(req), kase, record), { etag: `"j-${record.version}"` });
  }

  function putKlasse(req: SimRequest, kase: WorldCase, classId: string): SimResponse {
    const cls = kase.classes.find((c) => c.systemId === classId);
    if (!cls) return feil(404, `Not Found: arkivstruktur/klasse/${classId}/`);
    const stale = checkIfMatch(req, classTag(kase));
    if (stale) return stale;
    const body = readJson(req);
    if (!body.ok) return body.response;
    const v = body.value;
    if (typeof v.klasseID !== 'string' || v.klasseID === '')
      return feil(400, 'Bad Request: klasseID is required');
    const at = store.now();
    cls.classId = v.klasseID;
    if (typeof v.tittel === 'string') cls.title = v.tittel;
    store.touch(kase, at);
    store.log({
      at,
      kind: 'update_class',
      caseSystemId: kase.systemId,
      targetSystemId: cls.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      via: 'tg',
    });
    return json(200, store.klasseWire(baseOf(req), cls), { etag: classTag(kase) });
  }

  function deleteKlasse(req: SimRequest, kase: WorldCase, classId: string): SimResponse {
    const stale = checkIfMatch(req, classTag(kase));
    if (stale) return stale;
    const at = store.now();
    store.removeClass(kase, classId);
    store.touch(kase, at);
    store.log({
      at,
      kind: 'remove_class',
      caseSystemId: kase.systemId,
      targetSystemId: classId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      via: 'tg',
    });
    return { status: 204, headers: {}, body: '' };
  }

  function putKorrespondansepart(req: SimRequest, id: string): SimResponse {
    const kase = store.caseOfParty(id);
    const record = kase?.records.find((r) => r.correspondenceParties.some((p) => p.systemId === id));
    const party = record?.correspondenceParties.find((p) => p.systemId === id);
    if (!kase || !record || !party) return feil(404, `Not Found: arkivstruktur/korrespondansepart/${id}/`);
    // Noark 5: a finalised journalpost (journalført, ekspedert, arkivert) is not edited.
    if (FROZEN.has(record.journalstatus)) {
      return feil(
        409,
        `Conflict: journalpost ${record.journalpostnummer} has journalstatus ${record.journalstatus} and cannot be changed`,
      );
    }
    const stale = checkIfMatch(req, partyTag(party));
    if (stale) return stale;
    const body = readJson(req);
    if (!body.ok) return body.response;
    if (typeof body.value.navn !== 'string' || body.value.navn === '')
      return feil(400, 'Bad Request: navn is required');
    const adresse =
      body.value.postadresse === undefined
        ? undefined
        : TgAdresseWireSchema.safeParse(body.value.postadresse);
    if (adresse && !adresse.success) return feil(400, 'Bad Request: postadresse is not an EnkelAdresse');
    const at = store.now();
    party.name = body.value.navn;
    const meta = (body.value.virksomhetsspesifikkeMetadata ?? {}) as Record<string, unknown>;
    store.setPartyExtra(party.systemId, {
      postadresse: adresse?.success ? adresse.data : null,
      personstatus: typeof meta.personstatus === 'string' ? meta.personstatus : undefined,
    });
    setIdentifier(party, body.value);
    party.version += 1;
    record.version += 1;
    record.updatedAt = at;
    store.touch(kase, at);
    store.log({
      at,
      kind: 'update_record',
      caseSystemId: kase.systemId,
      targetSystemId: party.systemId,
      idempotencyKey: header(req, 'x-idempotency-key'),
      via: 'tg',
    });
    return json(200, store.korrespondansepartWire(baseOf(req), party), { etag: partyTag(party) });
  }

  /** Route a request under `/api`; undefined when no route matches. */
  return function route(req: SimRequest, path: string): SimResponse | undefined {
    const base = baseOf(req);
    const m = (re: RegExp) => re.exec(path);
    const method = req.method;
    let r: RegExpExecArray | null;

    if (path === '/' || path === '') {
      return json(200, {
        _links: {
          [`${REL}sakarkiv/`]: { href: `${base}/sakarkiv/` },
          [`${REL}arkivstruktur/`]: { href: `${base}/arkivstruktur/` },
          [`${REL}sakarkiv/saksmappe/`]: {
            href: `${base}/sakarkiv/saksmappe/{?$filter&$orderby&$top&$skip}`,
            templated: true,
          },
        },
      });
    }
    r = m(/^\/sakarkiv\/saksmappe\/?$/);
    if (r) {
      if (method === 'GET') return listSaksmapper(req);
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/sakarkiv\/ny-saksmappe\/?$/);
    if (r) {
      if (method === 'POST') return createSaksmappe(req);
      if (method === 'GET')
        return json(200, { tittel: 'angi tittel på mappe', mappetype: { kode: 'ANNEN' }, _links: {} });
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/sakarkiv\/saksmappe\/([^/]+)\/?$/);
    if (r) {
      const kase = caseOr404(r[1] as string);
      if (!('systemId' in kase)) return kase;
      if (method === 'GET') return json(200, store.saksmappeWire(base, kase), { etag: caseTag(kase) });
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/sakarkiv\/saksmappe\/([^/]+)\/registrering\/?$/);
    if (r) {
      const kase = caseOr404(r[1] as string);
      if (!('systemId' in kase)) return kase;
      const results = kase.records.map((rec) => store.journalpostWire(base, kase, rec));
      return json(200, {
        count: results.length,
        ...(results.length ? { results } : {}),
        _links: { self: { href: `${base}${path}` } },
      });
    }
    r = m(/^\/sakarkiv\/saksmappe\/([^/]+)\/ny-journalpost\/?$/);
    if (r) {
      const kase = caseOr404(r[1] as string);
      if (!('systemId' in kase)) return kase;
      if (method === 'POST') return createJournalpost(req, kase);
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/sakarkiv\/saksmappe\/([^/]+)\/ny-part(person|enhet)\/?$/);
    if (r) {
      const kase = caseOr404(r[1] as string);
      if (!('systemId' in kase)) return kase;
      if (method === 'POST') return newParty(req, kase, r[2] === 'enhet' ? 'organisation' : 'person');
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/arkivstruktur\/part(?:person|enhet)?\/([^/]+)\/?$/);
    if (r) {
      const id = r[1] as string;
      const kase = store.caseOfParty(id);
      const party = kase && partyIn(kase, id);
      if (!kase || !party) return feil(404, `Not Found: arkivstruktur/part/${id}/`);
      if (method === 'GET') return json(200, store.partWire(base, party), { etag: partyTag(party) });
      if (method === 'PUT') return putParty(req, kase, party);
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/arkivstruktur\/klasse\/([^/]+)\/?$/);
    if (r) {
      const id = r[1] as string;
      const kase = store.caseOfClass(id);
      const cls = kase?.classes.find((c) => c.systemId === id);
      if (!kase || !cls) return feil(404, `Not Found: arkivstruktur/klasse/${id}/`);
      if (method === 'GET') return json(200, store.klasseWire(base, cls), { etag: classTag(kase) });
      if (method === 'PUT') return putKlasse(req, kase, id);
      if (method === 'DELETE') return deleteKlasse(req, kase, id);
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/sakarkiv\/journalpost\/([^/]+)\/?$/);
    if (r) {
      const id = r[1] as string;
      const kase = store.caseOfRecord(id);
      const rec = kase?.records.find((x) => x.systemId === id);
      if (!kase || !rec) return feil(404, `Not Found: sakarkiv/journalpost/${id}/`);
      if (method === 'GET')
        return json(200, store.journalpostWire(base, kase, rec), { etag: `"j-${rec.version}"` });
      return feil(405, 'Method Not Allowed');
    }
    r = m(/^\/arkivstruktur\/korrespondansepart(?:person|enhet)?\/([^/]+)\/?$/);
    if (r) {
      const id = r[1] as string;
      if (method === 'PUT') return putKorrespondansepart(req, id);
      const kase = store.caseOfParty(id);
      const party = kase?.records.flatMap((x) => x.correspondenceParties).find((p) => p.systemId === id);
      if (!party) return feil(404, `Not Found: arkivstruktur/korrespondansepart/${id}/`);
      return json(200, store.korrespondansepartWire(base, party), { etag: partyTag(party) });
    }
    return undefined;
  };
}
