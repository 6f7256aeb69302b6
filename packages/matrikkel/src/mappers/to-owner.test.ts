import { hasErrorCode, makeFodselsnummer, makeOrganisasjonsnummer } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { toOwner } from './to-owner.js';

// Synthetic (Tenor-style, birth month + 80) numbers, made at test time.
function syntheticFnr(): string {
  for (let individnummer = 100; individnummer < 500; individnummer++) {
    const value = makeFodselsnummer({ birthDate: '1985-03-14', individnummer, synthetic: true });
    if (value) return value;
  }
  throw new Error('no synthetic fødselsnummer');
}
const fnr = syntheticFnr();
const orgnr = makeOrganisasjonsnummer(31_300_000) ?? makeOrganisasjonsnummer(31_300_001) ?? '';
const andel = { teller: '1', nevner: '2' };
const person = (type: string, nummer: string) => ({
  '@_type': `p:${type}`,
  id: { value: '9' },
  nummer,
  navn: 'Nordmann Kari',
});

describe('toOwner', () => {
  it('maps a FysiskPerson owner to kind person with the share', () => {
    expect(
      toOwner(
        { '@_type': 'm:PersonTinglystEierforhold', andel },
        person('FysiskPerson', fnr),
        '1806-1/2/0/0',
      ),
    ).toEqual({
      kind: 'person',
      identifier: fnr,
      name: 'Nordmann Kari',
      share: { numerator: 1, denominator: 2 },
      role: 'PersonTinglystEierforhold',
    });
  });

  it('maps a JuridiskPerson owner to kind organisation', () => {
    expect(toOwner({ andel }, person('JuridiskPerson', orgnr), '1806-1/2/0/0')).toMatchObject({
      kind: 'organisation',
      identifier: orgnr,
    });
  });

  it('maps an eierforhold without a person to kind unknown', () => {
    expect(toOwner({ andel }, undefined, '1806-1/2/0/0')).toMatchObject({
      kind: 'unknown',
      share: { numerator: 1, denominator: 2 },
    });
  });

  it('throws InvalidIdentifierError naming the unit, with the number masked, for an invalid identifier', () => {
    const broken = `${fnr.slice(0, 10)}${(Number(fnr[10]) + 1) % 10}`;
    let error: unknown;
    try {
      toOwner({ andel }, person('FysiskPerson', broken), '1806-1/2/0/0');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'invalid_identifier')).toBe(true);
    expect((error as Error).message).toContain('matrikkelenhet 1806-1/2/0/0');
    expect((error as Error).message).not.toContain(broken);
  });
});
