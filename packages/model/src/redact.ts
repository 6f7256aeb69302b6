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

/**
 * Redact every string in a JSON-like value (objects, arrays; depth-bounded) with {@link redactText}.
 * Eleven-digit numbers are masked too. Returns a new value; the input is not changed.
 */
export function redactDeep<T>(value: T, depth = 8): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (typeof value === 'number')
    return (Number.isInteger(value) && /^\d{11}$/.test(String(value)) ? '***********' : value) as T;
  if (value === null || typeof value !== 'object' || depth <= 0) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth - 1)) as T;
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, depth - 1);
  return out as T;
}
