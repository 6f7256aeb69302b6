import {
  InvalidIdentifierError,
  type Owner,
  isFodselsnummer,
  isOrganisasjonsnummer,
  maskFodselsnummer,
} from '@registerbro/model';
import { type EierforholdWire, type PersonWire, localType } from '../wire/schemas.js';

/**
 * An eierforhold (+ the Person it points at) as a model Owner, so the engine can join owners with
 * Folkeregisteret (fnr/D-nummer) and Enhetsregisteret (orgnr). An eierforhold without a person is
 * an `unknown` owner (e.g. an unregistered estate); a person whose `nummer` is neither a valid
 * fødselsnummer/D-nummer nor a valid orgnr throws InvalidIdentifierError naming the unit, so the
 * unit is quarantined rather than stored with a broken owner.
 */
export function toOwner(
  eierforhold: EierforholdWire,
  person: PersonWire | undefined,
  unitKey: string,
): Owner {
  const share =
    eierforhold.andel && Number(eierforhold.andel.teller) > 0 && Number(eierforhold.andel.nevner) > 0
      ? { numerator: Number(eierforhold.andel.teller), denominator: Number(eierforhold.andel.nevner) }
      : undefined;
  const base = { ...(share ? { share } : {}), role: localType(eierforhold['@_type']) || undefined };
  if (!person || person.nummer === undefined || person.nummer === '') {
    return { kind: 'unknown', ...(person?.navn ? { name: person.navn } : {}), ...base };
  }
  const nummer = person.nummer.trim();
  const name = person.navn;
  const type = localType(person['@_type']);
  if (type !== 'JuridiskPerson' && isFodselsnummer(nummer)) {
    return { kind: 'person', identifier: nummer, ...(name ? { name } : {}), ...base };
  }
  if (type !== 'FysiskPerson' && isOrganisasjonsnummer(nummer)) {
    return { kind: 'organisation', identifier: nummer, ...(name ? { name } : {}), ...base };
  }
  const shown = /^\d{11}$/.test(nummer) ? maskFodselsnummer(nummer) : nummer.replace(/\d(?=\d{2})/g, '*');
  throw new InvalidIdentifierError(
    type === 'JuridiskPerson' ? 'organisasjonsnummer' : 'fødselsnummer or organisasjonsnummer',
    shown,
    `owner (${type || 'Person'} id ${person.id.value}) of matrikkelenhet ${unitKey} has an identifier that fails its check`,
    {
      system: 'matrikkel',
      record: `matrikkelenhet ${unitKey}`,
      hint: 'The unit is quarantined; ask Kartverket (or the kommune) to correct the owner in the matrikkel.',
    },
  );
}
