/**
 * Synthetic (Tenor-style) identifiers for the reference register: birth month + 80, so no number
 * made here can be a real person's. Nothing here is ever written to a file.
 */

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Classic mod-11 control digit for `digits` with `weights`; null when the rule gives 10 (no valid digit). */
export function controlDigit(digits: string, weights: readonly number[]): number | null {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  const k = 11 - (sum % 11);
  if (k === 11) return 0;
  return k === 10 ? null : k;
}

/** Append both classic control digits to nine digits, or null when no valid pair exists. */
export function withControlDigits(nine: string): string | null {
  const k1 = controlDigit(nine, K1_WEIGHTS);
  if (k1 === null) return null;
  const k2 = controlDigit(`${nine}${k1}`, K2_WEIGHTS);
  if (k2 === null) return null;
  return `${nine}${k1}${k2}`;
}

/**
 * A synthetic fødselsnummer (or D-nummer: day + 40) for `birthDate` (`YYYY-MM-DD`, born 1900–1999)
 * and individnummer 0–499, Tenor-style (month + 80). Null when that individnummer has no valid
 * control digits; try the next.
 */
export function syntheticFodselsnummer(
  birthDate: string,
  individnummer: number,
  kind: 'fnr' | 'dnr' = 'fnr',
): string | null {
  const match = /^(\d{2})(\d{2})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) throw new Error(`birthDate must be YYYY-MM-DD, got ${birthDate}`);
  const [, century, yy, mm, dd] = match as unknown as [string, string, string, string, string];
  if (century !== '19' || individnummer < 0 || individnummer > 499) {
    throw new Error('the reference register only makes people born 1900–1999 (individnummer 000–499)');
  }
  const day = Number(dd) + (kind === 'dnr' ? 40 : 0);
  const month = Number(mm) + 80;
  const nine = `${String(day).padStart(2, '0')}${month}${yy}${String(individnummer).padStart(3, '0')}`;
  return withControlDigits(nine);
}

/** The next synthetic number for `birthDate` at or after `fromIndividnummer`, with the individnummer used. */
export function nextSyntheticFodselsnummer(
  birthDate: string,
  fromIndividnummer: number,
  kind: 'fnr' | 'dnr' = 'fnr',
): { value: string; individnummer: number } {
  for (let n = fromIndividnummer; n <= 499; n++) {
    const value = syntheticFodselsnummer(birthDate, n, kind);
    if (value !== null) return { value, individnummer: n };
  }
  throw new Error(`no synthetic number left for ${birthDate}`);
}
