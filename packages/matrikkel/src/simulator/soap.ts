/**
 * The simulator's SOAP side: `/matrikkelapi/wsapi/v1/{X}ServiceWS`, SOAP 1.1 document/literal.
 * Requests are parsed by local name (prefixes vary), answers are written with the same
 * namespace layout as the service (every Body payload validates against all-services.xsd), and
 * errors are SOAP Faults whose `detail` holds a `ServiceException` with the subtype as `xsi:type`
 * (FACTS.md, "Faults").
 */
import { buildSoapEnvelope } from '@registerbro/transport';
import { parseFastXml } from '../wire/fast-xml.js';
import type { WorldProperty } from '@registerbro/testkit';
import { esc, faultPayload, idEl, leaf, type MatrikkelServiceName, payload } from '../wire/xml.js';
import {
  adresseItem,
  bygningItem,
  endringItem,
  forretningItem,
  kommuneItem,
  matrikkelenhetItem,
  personItem,
  representasjonspunkt,
  vegItem,
} from './objects-xml.js';
import {
  type MatrikkelCorruption,
  type MatrikkelView,
  kommuneIdFor,
  orgMatrikkelId,
  personMatrikkelId,
  resolvePersonId,
  teigId,
  vegId,
} from './view.js';

/** Answer of the SOAP side. */
export interface SoapAnswer {
  status: number;
  body: string;
}

const XML_ARRAYS = (name: string) => name === 'item' || name === 'entry';
const BOGUS_PERSON_BASE = 900_000_000_000;
const BOGUS_VEG_BASE = 390_000_000;

const PROPERTY_TYPES: Record<WorldProperty['type'], string> = {
  grunneiendom: 'Grunneiendom',
  festegrunn: 'Festegrunn',
  seksjon: 'Seksjon',
  anleggseiendom: 'Anleggseiendom',
  jordsameie: 'Jordsameie',
};

const BUILDING_STATUS: Record<string, number> = {
  rammetillatelse: 1,
  igangsettingstillatelse: 2,
  tattIBruk: 3,
  ferdigattest: 4,
  revet: 5,
};

class Fault extends Error {
  constructor(
    readonly faultCode: 'Server' | 'Client',
    message: string,
    readonly category: string,
    readonly subtype?: { xsiType: string; inner: string },
  ) {
    super(message);
  }
}

const FINDER = ':ServiceException:ApplicationException:FinderException:';
const VALIDATION = ':ServiceException:ApplicationException:ValidationException:';
const SYSTEM = ':ServiceException:SystemException:';

/** A SOAP 1.1 Fault envelope with a ServiceException (of a subtype) in `detail`. */
export function faultEnvelope(fault: {
  faultCode: string;
  message: string;
  category: string;
  subtype?: { xsiType: string; inner: string };
}): string {
  const detail = faultPayload(
    'ServiceException',
    leaf('ex:category', fault.category) +
      '<ex:stackTraceText>no.statkart.matrikkel (simulated)</ex:stackTraceText>' +
      '<ex:exceptionDetail>' +
      '<ex:className>no.statkart.skif.exception.ServiceException</ex:className>' +
      leaf('ex:message', fault.message) +
      '<ex:cause xsi:nil="true"/><ex:stackTraceElements/>' +
      '</ex:exceptionDetail>' +
      (fault.subtype?.inner ?? ''),
    fault.subtype?.xsiType,
  );
  return buildSoapEnvelope(
    `<soap:Fault><faultcode>soap:${fault.faultCode}</faultcode><faultstring>${esc(fault.message)}</faultstring><detail>${detail}</detail></soap:Fault>`,
  );
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && '#text' in value)
    return String((value as { '#text': unknown })['#text']);
  return undefined;
}

interface IdRef {
  type: string;
  value: string;
}

function ids(list: unknown): IdRef[] {
  return asArray(obj(list).item as unknown[] | undefined).map((item) => {
    const o = obj(item);
    const type = String(o['@_type'] ?? '');
    return { type: type.slice(type.indexOf(':') + 1), value: String(text(o.value) ?? '') };
  });
}

/** Parse an interval text such as `1-5,7` into a predicate. */
function interval(spec: string | undefined): (n: number) => boolean {
  if (!spec) return () => true;
  const parts = spec.split(',').map((part) => {
    const [a, b] = part.split('-').map((s) => Number(s.trim()));
    return [a ?? 0, b ?? a ?? 0] as const;
  });
  return (n) => parts.some(([a, b]) => n >= a && n <= b);
}

/** Options the SOAP side reads. */
export interface SoapSideOptions {
  corrupt: ReadonlyMap<string, MatrikkelCorruption>;
  /** One-shot: the next non-empty findEndringer page gets one malformed entry. */
  corruptNextEndring?: boolean;
  /**
   * Objects getObjects answers without their `xsi:type` (so they fail every wire schema), as
   * `{type}:{id}` or `{type}:*` for every object of a class.
   */
  broken?: ReadonlySet<string>;
}

/** Handle one SOAP request for `service`. Never throws: faults become SOAP Faults. */
export function handleSoap(
  view: MatrikkelView,
  service: string,
  body: string,
  options: SoapSideOptions,
): SoapAnswer {
  try {
    let doc: Record<string, unknown>;
    try {
      doc = parseFastXml(body, { isArray: XML_ARRAYS });
    } catch (error) {
      throw new Fault('Client', `Could not parse the request: ${(error as Error).message}`, VALIDATION);
    }
    const bodyEl = obj(obj(doc.Envelope).Body);
    const [operation, request] = Object.entries(bodyEl).find(([key]) => !key.startsWith('@_')) ?? [];
    if (!operation) throw new Fault('Client', 'Empty SOAP Body', VALIDATION);
    const sim = new SoapSide(view, options);
    const out = sim.dispatch(service as MatrikkelServiceName, operation, obj(request));
    return { status: 200, body: out };
  } catch (error) {
    if (error instanceof Fault) {
      return {
        status: 500,
        body: faultEnvelope({
          faultCode: error.faultCode,
          message: error.message,
          category: error.category,
          subtype: error.subtype,
        }),
      };
    }
    return {
      status: 500,
      body: faultEnvelope({ faultCode: 'Server', message: (error as Error).message, category: SYSTEM }),
    };
  }
}

class SoapSide {
  constructor(
    readonly view: MatrikkelView,
    readonly options: SoapSideOptions,
  ) {}

  private get world() {
    return this.view.world;
  }

  private respond(service: MatrikkelServiceName, operation: string, returnInner: string | undefined): string {
    const ret = returnInner === undefined ? '' : `<s:return>${returnInner}</s:return>`;
    return buildSoapEnvelope(payload(service, `${operation}Response`, ret));
  }

  private corruption(propertyId: string): MatrikkelCorruption | undefined {
    const p = this.world.properties.get(propertyId);
    if (!p) return undefined;
    return this.options.corrupt.get(p.key) ?? this.options.corrupt.get(p.id);
  }

  dispatch(service: MatrikkelServiceName, operation: string, req: Record<string, unknown>): string {
    // Kommuner and forretninger come from the change log: keep it current for every operation.
    this.view.sync();
    const key = `${service}.${operation}`;
    switch (key) {
      case 'Store.getObjects':
      case 'Store.getObjectsIgnoreMissing':
        return this.getObjects(operation, ids(req.ids), operation === 'getObjectsIgnoreMissing');
      case 'Matrikkelenhet.findMatrikkelenheter':
        return this.findMatrikkelenheter(obj(req.matrikkelenhetsokModel));
      case 'Matrikkelenhet.findMatrikkelenhetIdForIdent': {
        const id = this.resolveIdent(obj(req.matrikkelenhetIdent));
        if (!id) throw new Fault('Server', 'Fant ingen matrikkelenhet for identen', FINDER);
        return this.respond(service, operation, `<d:value>${id}</d:value>`);
      }
      case 'Matrikkelenhet.findMatrikkelenhetIdsForIdents': {
        let out = '';
        for (const item of asArray(obj(req.matrikkelenhetIdentList).item as unknown[])) {
          const ident = obj(item);
          const id = this.resolveIdent(ident);
          if (id) out += `<m:entry><m:key>${identXml(ident)}</m:key>${idEl('m:value', id)}</m:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Matrikkelenhet.findRepresentasjonspunkterForMatrikkelenheter': {
        let out = '';
        for (const id of ids(req.matrikkelenhetIds)) {
          const p = this.world.properties.get(id.value);
          if (!p) continue;
          out += `<m:entry>${idEl('m:key', p.id)}<m:value>${representasjonspunkt('g:item', p.point.x, p.point.y)}</m:value></m:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Matrikkelenhet.findEideMatrikkelenheterForPersoner': {
        let out = '';
        for (const id of ids(req.personIds)) {
          const who = resolvePersonId(id.value);
          let owned: Set<string> | undefined;
          if (who?.kind === 'person') {
            const personId = this.view.personByNumber.get(who.personKey);
            owned = personId ? this.world.index.propertiesByPerson.get(personId) : undefined;
          } else if (who?.kind === 'organisation') {
            owned = this.world.index.propertiesByOrganisation.get(who.orgnr);
          }
          let list = '';
          for (const pid of owned ?? []) list += idEl('m:item', pid);
          out += `<m:entry>${idEl('m:key', id.value)}<m:value>${list}</m:value></m:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Forretning.findForretningerForMatrikkelenheter': {
        // The ids come as repeated `matrikkelenhetIds` elements (each a MatrikkelenhetId).
        const asked = asArray(req.matrikkelenhetIds as unknown[] | undefined).map((item) =>
          String(text(obj(item).value) ?? ''),
        );
        const byUnit = new Map<string, string[]>();
        for (const [fid, f] of this.view.forretninger) {
          for (const a of f.areal) {
            const list = byUnit.get(a.matrikkelenhetId);
            if (list) list.push(fid);
            else byUnit.set(a.matrikkelenhetId, [fid]);
          }
        }
        let out = '';
        for (const id of new Set(asked)) {
          if (!this.world.properties.has(id)) continue;
          let list = '';
          for (const fid of byUnit.get(id) ?? []) list += idEl('f:item', fid);
          out += `<f:entry>${idEl('f:key', id)}<f:value>${list}</f:value></f:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Adresse.findAdresserForMatrikkelenheter': {
        let out = '';
        for (const id of ids(req.matrikkelenhetIds)) {
          const p = this.world.properties.get(id.value);
          if (!p) continue;
          let list = '';
          for (const a of p.addressIds) list += idEl('a:item', a);
          out += `<a:entry>${idEl('a:key', p.id)}<a:value>${list}</a:value></a:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Bygning.findByggForMatrikkelenheter': {
        let out = '';
        for (const id of ids(req.matrikkelenhetIdList)) {
          const p = this.world.properties.get(id.value);
          if (!p) continue;
          let list = '';
          for (const b of p.buildingIds) list += idEl('b:item', b);
          out += `<b:entry>${idEl('b:key', p.id)}<b:value>${list}</b:value></b:entry>`;
        }
        return this.respond(service, operation, out);
      }
      case 'Kommune.findKommuneIdForIdent': {
        const nummer = text(obj(req.kommuneIdent).kommunenummer) ?? '';
        const k = this.view.kommuneByNummer(nummer);
        if (!k) throw new Fault('Server', `Fant ingen kommune med kommunenummer ${nummer}`, FINDER);
        return this.respond(service, operation, `<d:value>${k.id}</d:value>`);
      }
      case 'Kommune.findAlleKommuner': {
        let out = '';
        for (const k of this.view.kommuner.values()) out += idEl('k:item', k.id);
        return this.respond(service, operation, out);
      }
      case 'Endringslogg.findSisteEndringId': {
        this.view.sync();
        const last = this.view.endringer.at(-1)?.id ?? '0';
        return this.respond(service, operation, `<d:value>${last}</d:value>`);
      }
      case 'Endringslogg.findEndringer':
        return this.findEndringer(req);
      default:
        throw new Fault('Client', `Unknown operation ${operation} on ${service}ServiceWS`, VALIDATION);
    }
  }

  private resolveIdent(ident: Record<string, unknown>): string | undefined {
    const knr = text(obj(ident.kommuneIdent).kommunenummer);
    const key = `${knr}-${text(ident.gardsnummer) ?? 0}/${text(ident.bruksnummer) ?? 0}/${text(ident.festenummer) ?? 0}/${text(ident.seksjonsnummer) ?? 0}`;
    const id = this.world.index.propertiesByKey.get(key);
    const p = id ? this.world.properties.get(id) : undefined;
    // Old keys (before a renumbering) no longer resolve, as in the real register.
    return p && p.key === key ? p.id : undefined;
  }

  private findMatrikkelenheter(model: Record<string, unknown>): string {
    const knr = text(model.kommunenummer);
    if (!knr) throw new Fault('Client', 'kommunenummer er påkrevd i søket', VALIDATION);
    const status = text(model.status) ?? 'BESTAENDE';
    const g = interval(text(model.gardsnummer));
    const b = interval(text(model.bruksnummer));
    const hits: number[] = [];
    for (const p of this.world.properties.values()) {
      if (p.kommunenummer !== knr) continue;
      if ((status === 'BESTAENDE') !== (p.status === 'levende')) continue;
      if (!g(p.gardsnummer) || !b(p.bruksnummer)) continue;
      hits.push(Number(p.id));
    }
    hits.sort((x, y) => x - y);
    let out = '';
    for (const id of hits) out += idEl('m:item', id);
    return this.respond('Matrikkelenhet', 'findMatrikkelenheter', out);
  }

  private findEndringer(req: Record<string, unknown>): string {
    this.view.sync();
    const from = Number(text(obj(req.id).value) ?? '0');
    const klasse = text(req.domainklasse) ?? 'MatrikkelBubbleObject';
    const max = Math.max(1, Math.min(Number(text(req.maksAntall) ?? '1000'), 10_000));
    let kommuneIds: Set<string> | undefined;
    const filter = text(req.filter);
    if (filter) {
      try {
        const parsed = JSON.parse(filter) as { kommunefilter?: unknown };
        if (Array.isArray(parsed.kommunefilter))
          kommuneIds = new Set(parsed.kommunefilter.map((k) => kommuneIdFor(String(k))));
      } catch {
        throw new Fault('Client', `Ugyldig filter: ${filter}`, VALIDATION);
      }
    }
    const log = this.view.endringer;
    // Ids are 1..n, so the first id after `from` sits at index `from`.
    let i = Math.max(0, Math.min(from, log.length));
    let items = '';
    let count = 0;
    let last = String(from);
    while (i < log.length && count < max) {
      const e = log[i++];
      if (!e) break;
      last = e.id;
      if (klasse !== 'MatrikkelBubbleObject' && e.domainklasse !== klasse) continue;
      if (kommuneIds && !e.kommuneIds.some((k) => kommuneIds.has(k))) continue;
      let xml = endringItem(e);
      if (count === 0 && this.options.corruptNextEndring) {
        this.options.corruptNextEndring = false;
        xml = xml.replace(
          /<e:endringstype>\w+<\/e:endringstype>/,
          '<e:endringstype>Ugyldig</e:endringstype>',
        );
      }
      items += xml;
      count++;
    }
    const done = i >= log.length;
    const ret =
      `<e:endringList>${items}</e:endringList>` +
      leaf('e:alleEndringerFunnet', done) +
      idEl('e:sisteEndringIdProsessert', last) +
      '<e:objects/>';
    return this.respond('Endringslogg', 'findEndringer', ret);
  }

  private getObjects(operation: string, list: IdRef[], ignoreMissing: boolean): string {
    const missing: IdRef[] = [];
    let out = '';
    let broken = false;
    let hostile = false;
    let bomb = false;
    for (const id of list) {
      if (!id.type) {
        throw new Fault(
          'Server',
          'Error mapping from no.statkart.matrikkel.domene.MatrikkelBubbleIdList: an id has no xsi:type',
          SYSTEM,
        );
      }
      if (id.type === 'MatrikkelenhetId') {
        const c = this.corruption(id.value);
        if (c === 'soap_fault')
          throw new Fault('Server', `Intern feil ved lesing av matrikkelenhet ${id.value}`, SYSTEM);
        if (c === 'malformed_xml') broken = true;
        if (c === 'hostile_xml') hostile = true;
        if (c === 'entity_bomb') bomb = true;
      }
      let xml = this.objectXml(id);
      const shapeless = this.options.broken;
      if (
        xml !== undefined &&
        shapeless &&
        (shapeless.has(`${id.type}:${id.value}`) || shapeless.has(`${id.type}:*`))
      ) {
        xml = xml.replace(/^<([\w:]+) xsi:type="[^"]*">/, '<$1>');
      }
      if (xml === undefined) missing.push(id);
      else out += xml;
    }
    if (missing.length > 0 && !ignoreMissing) {
      let notFound = '';
      for (const id of missing) notFound += idEl('d:item', id.value, typeWithPrefix(id.type));
      throw new Fault('Server', `Fant ikke ${missing.length} objekt(er)`, FINDER, {
        xsiType: 'ex:ObjectsNotFoundFaultInfo',
        inner: `<ex:idsNotFound>${notFound}</ex:idsNotFound>`,
      });
    }
    const response = this.respond('Store', operation, out);
    if (hostile) {
      // An XXE attempt: a DOCTYPE with an external entity used in the body.
      return response
        .replace(
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        )
        .replace('<d:oppdatertAv>simulator</d:oppdatertAv>', '<d:oppdatertAv>&xxe;</d:oppdatertAv>');
    }
    if (bomb) {
      // Billion laughs: nine levels of ten references each, used in the body.
      const entities = ['<!ENTITY lol "lol">'];
      for (let i = 1; i <= 9; i++)
        entities.push(`<!ENTITY lol${i} "${`&${i === 1 ? 'lol' : `lol${i - 1}`};`.repeat(10)}">`);
      return response
        .replace(
          '<?xml version="1.0" encoding="UTF-8"?>',
          `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [${entities.join('')}]>`,
        )
        .replace('<d:oppdatertAv>simulator</d:oppdatertAv>', '<d:oppdatertAv>&lol9;</d:oppdatertAv>');
    }
    // A cut-off body, as a proxy that drops the connection mid-answer would leave it.
    return broken ? response.slice(0, Math.floor(response.length / 2)) : response;
  }

  private objectXml(id: IdRef): string | undefined {
    const w = this.world;
    switch (id.type) {
      case 'MatrikkelenhetId': {
        const p = w.properties.get(id.value);
        return p ? this.matrikkelenhet(p) : undefined;
      }
      case 'PersonId':
        return this.person(id.value);
      case 'AdresseId': {
        const a = w.addresses.get(id.value);
        if (!a) return undefined;
        const corrupt = this.corruption(a.propertyId) === 'address_without_kommune';
        return adresseItem({
          id: a.id,
          idType: 'a:AdresseId',
          updatedAt: a.updatedAt,
          version: a.version,
          kind: a.kind,
          x: a.point.x,
          y: a.point.y,
          matrikkelenhetId: a.propertyId,
          vegId:
            a.adressekode === undefined
              ? undefined
              : corrupt
                ? String(BOGUS_VEG_BASE + a.adressekode)
                : vegId(a.adressekode),
          nummer: a.husnummer,
          bokstav: a.bokstav,
          undernummer: a.undernummer,
        });
      }
      case 'VegId': {
        const n = Number(id.value);
        const bogus = n >= BOGUS_VEG_BASE;
        const kode = n - (bogus ? BOGUS_VEG_BASE : 300_000_000);
        const street = w.streets.get(kode);
        if (!street) return undefined;
        return vegItem({
          id: id.value,
          idType: 'a:VegId',
          updatedAt: w.now,
          version: 1,
          kommuneId: bogus ? undefined : kommuneIdFor(w.kommunenummer),
          adressekode: street.adressekode,
          adressenavn: street.adressenavn,
        });
      }
      case 'ByggId': {
        const b = w.buildings.get(id.value);
        if (!b) return undefined;
        return bygningItem({
          id: b.id,
          idType: 'b:ByggId',
          updatedAt: b.updatedAt,
          version: b.version,
          bygningsnummer: b.bygningsnummer,
          kommuneId: kommuneIdFor(w.kommunenummer),
          x: b.point.x,
          y: b.point.y,
          bygningstypeKodeId: Number(b.bygningstype),
          bygningsstatusKodeId: BUILDING_STATUS[b.status] ?? 0,
        });
      }
      case 'KommuneId': {
        const k = this.view.kommuner.get(id.value);
        if (!k) return undefined;
        return kommuneItem({
          id: k.id,
          idType: 'k:KommuneId',
          updatedAt: w.epoch,
          version: 1,
          kommunenummer: k.nummer,
          kommunenavn: k.navn,
          gyldigTilDato: k.gyldigTil,
          nyKommuneId: k.nyKommuneId,
        });
      }
      case 'ForretningId': {
        const f = this.view.forretninger.get(id.value);
        return f ? forretningItem(f) : undefined;
      }
      default:
        return undefined;
    }
  }

  private matrikkelenhet(p: WorldProperty): string {
    const c = this.corruption(p.id);
    const kommuneId = this.view.kommuneIdOf(p);
    return matrikkelenhetItem({
      id: p.id,
      idType: 'm:MatrikkelenhetId',
      updatedAt: p.updatedAt,
      version: p.version,
      xsiType: PROPERTY_TYPES[p.type],
      kommuneId,
      gardsnummer: c === 'impossible_matrikkelnummer' ? 0 : p.gardsnummer,
      bruksnummer: c === 'impossible_matrikkelnummer' ? -1 : p.bruksnummer,
      festenummer: p.festenummer,
      seksjonsnummer: p.seksjonsnummer,
      teigId: teigId(p.id),
      area: p.area,
      utgatt: p.status === 'utgaatt',
      eierforhold: p.owners.map((o, i) => ({
        id: String(Number(p.id) * 100 + i),
        kind: o.kind,
        personId:
          c === 'invalid_owner' && i === 0
            ? String(BOGUS_PERSON_BASE + Number(p.id))
            : o.kind === 'person'
              ? personMatrikkelId(o.personId ?? '')
              : orgMatrikkelId(o.orgnr ?? ''),
        teller: o.share.numerator,
        nevner: o.share.denominator,
        kommuneId,
      })),
    });
  }

  private person(id: string): string | undefined {
    const w = this.world;
    if (Number(id) >= BOGUS_PERSON_BASE) {
      // A person whose nummer is neither a fødselsnummer nor an orgnr (bad-input tests).
      return personItem({
        id,
        idType: 'p:PersonId',
        updatedAt: w.epoch,
        version: 1,
        kind: 'person',
        nummer: '0101801234',
        navn: 'Ukjent Eier',
      });
    }
    const who = resolvePersonId(id);
    if (who?.kind === 'organisation') {
      const org = w.organisations.get(who.orgnr);
      if (!org) return undefined;
      return personItem({
        id,
        idType: 'p:PersonId',
        updatedAt: org.updatedAt,
        version: org.version,
        kind: 'organisation',
        nummer: org.orgnr,
        navn: org.name,
      });
    }
    if (who?.kind === 'person') {
      const personId = this.view.personByNumber.get(who.personKey);
      const person = personId ? w.people.get(personId) : undefined;
      if (!person) return undefined;
      return personItem({
        id,
        idType: 'p:PersonId',
        updatedAt: person.updatedAt,
        version: person.version,
        kind: 'person',
        nummer: person.fnr,
        navn: `${person.familyName} ${person.givenName}`,
        fornavn: person.givenName,
        etternavn: person.familyName,
      });
    }
    return undefined;
  }
}

function typeWithPrefix(type: string): string {
  const prefix: Record<string, string> = {
    MatrikkelenhetId: 'm',
    PersonId: 'p',
    AdresseId: 'a',
    VegId: 'a',
    ByggId: 'b',
    KommuneId: 'k',
    TeigId: 'm',
    ForretningId: 'f',
  };
  return `${prefix[type] ?? 'd'}:${type}`;
}

function identXml(ident: Record<string, unknown>): string {
  return (
    `<m:kommuneIdent><k:kommunenummer>${esc(text(obj(ident.kommuneIdent).kommunenummer) ?? '')}</k:kommunenummer></m:kommuneIdent>` +
    leaf('m:gardsnummer', text(ident.gardsnummer)) +
    leaf('m:bruksnummer', text(ident.bruksnummer)) +
    leaf('m:festenummer', text(ident.festenummer)) +
    leaf('m:seksjonsnummer', text(ident.seksjonsnummer))
  );
}
