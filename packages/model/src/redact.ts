/**
 * Masking of personal identifiers in free text.
 *
 * Any run of exactly eleven digits (optionally written `DDMMYY NNNNN`) is treated as a possible
 * fødselsnummer/D-nummer and replaced by `***********` with the last five digits kept only when
 * `keepLast` is set. Birth-date digits are never kept: they identify a person together with little
 * else.
 */
const ELEVEN_DIGITS = /(?<![0-9])([0-9]{6})[ ]?([0-9]{5})(?![0-9])/g;

/**
 * Mask one fødselsnummer-like value: `01018012345` → `***********`.
 * Non-11-digit input is returned masked to its length so a malformed number never leaks either.
 */
export function maskFodselsnummer(value: string): string {
  const digits = value.replace(/\s+/g, '');
  if (/^[0-9]{11}$/.test(digits)) return '***********';
  return '*'.repeat(Math.min(value.length, 32));
}

/** Replace every eleven-digit run in `text` by a mask. Safe on any string. */
export function redactText(text: string): string {
  return text.replace(ELEVEN_DIGITS, '***********');
}
