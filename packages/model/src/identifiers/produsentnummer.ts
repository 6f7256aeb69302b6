import { fail, passes, requireString, show } from './internal.js';

/**
 * Produsentnummer (agriculture): ten digits. Older numbers were kommunenummer (4) + gardidnummer (4)
 * + foretak sequence (1) + a check digit; since Landbrukets Dataflyt took over on 15 Nov 2023 new
 * numbers are opaque and no check-digit rule is published (shared/specs/landbruk/FACTS.md § 4). So
 * only the form is enforced; {@link produsentnummerPassesLuhn} is a hint, never a reason to reject.
 */

/**
 * Parse a produsentnummer (exactly ten digits, leading zeros kept).
 * @throws InvalidIdentifierError (`identifier: 'produsentnummer'`)
 */
export function parseProdusentnummer(input: string): string {
  const value = requireString('produsentnummer', input);
  if (!/^[0-9]{10}$/.test(value)) fail('produsentnummer', show(input), 'must be exactly 10 digits');
  return value;
}

/** True when {@link parseProdusentnummer} accepts `input`. Never throws. */
export function isProdusentnummer(input: unknown): boolean {
  return typeof input === 'string' && passes(() => parseProdusentnummer(input));
}

/**
 * Luhn mod-10 over all ten digits. 54 695 of 54 728 numbers in LDIR's 2024 foretak data pass it, most
 * failures being fictitious units: use it to warn about a likely typing error, not to reject.
 */
export function produsentnummerPassesLuhn(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(value[9 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
