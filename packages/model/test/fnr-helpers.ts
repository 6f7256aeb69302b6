/**
 * Test-side construction of fødselsnummer control digits, written from Skatteetaten's description
 * independently of src/identifiers/fodselsnummer.ts, so the tests do not check the code against itself.
 */
const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * Append k1 and k2 to nine digits. `rest` 0 is the classic k1 = 11 − (S1 mod 11); 1–3 are the extra
 * values allowed from 2032 (k1 = 11 + rest − S1 mod 11, minus 11 when above 10). Null when k1 or k2
 * would be 10.
 */
export function withControlDigits(nine: string, rest = 0): string | null {
  const d = [...nine].map(Number);
  const s1 = W1.reduce((acc, w, i) => acc + w * d[i]!, 0);
  let k1 = 11 + rest - (s1 % 11);
  if (k1 > 10) k1 -= 11;
  if (k1 === 10) return null;
  const s2 = W2.reduce((acc, w, i) => acc + w * (i < 9 ? d[i]! : k1), 0);
  let k2 = 11 - (s2 % 11);
  if (k2 === 11) k2 = 0;
  if (k2 === 10) return null;
  return `${nine}${k1}${k2}`;
}

/** First nine digits from parts (day/month already offset for D/H/synthetic). */
export function nineDigits(
  dayField: number,
  monthField: number,
  year: number,
  individnummer: number,
): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(dayField)}${p2(monthField)}${p2(year % 100)}${String(individnummer).padStart(3, '0')}`;
}

/** A synthetic (month + 80) number with valid classic control digits: the first individnummer that works. */
export function syntheticNumber(
  day: number,
  month: number,
  year: number,
  options: { dnr?: boolean; from?: number; rest?: number } = {},
): string {
  for (let ind = options.from ?? 100; ind < 1000; ind++) {
    const n = withControlDigits(
      nineDigits(day + (options.dnr ? 40 : 0), month + 80, year, ind),
      options.rest ?? 0,
    );
    if (n) return n;
  }
  throw new Error('no individnummer gives valid control digits');
}
