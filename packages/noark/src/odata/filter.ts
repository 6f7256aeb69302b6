/**
 * A small, real parser and evaluator for the OData `$filter` subset the Noark 5
 * Tjenestegrensesnitt uses (https://github.com/arkivverket/noark5-tjenestegrensesnitt-standard,
 * chapter 6 "Søk og filtrering"): comparisons `eq ne gt ge lt le`, `and`, `or`, `not`,
 * parentheses, string literals in single quotes (`''` escapes a quote), ISO 8601 date/datetime
 * literals, numbers, `true`/`false`/`null`, and property paths with `/`.
 *
 * The simulator evaluates filters with it; the client builds its filters with
 * {@link odataString} and {@link odataDateTime} so values are always quoted correctly.
 */

/** A literal value in a filter. */
export type FilterLiteral =
  | { type: 'string'; value: string }
  | { type: 'datetime'; value: string; ms: number; ns: bigint }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** A parsed `$filter` expression. */
export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; expr: FilterExpression }
  | { kind: 'compare'; op: ComparisonOperator; path: string[]; value: FilterLiteral };

/** A `$filter` that could not be parsed; `position` is the character offset. */
export class FilterSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`$filter: ${message} at position ${position}`);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

type Token =
  | { t: 'ident'; v: string; p: number }
  | { t: 'string'; v: string; p: number }
  | { t: 'datetime'; v: string; p: number }
  | { t: 'number'; v: number; p: number }
  | { t: '(' | ')'; p: number }
  | { t: 'end'; p: number };

const DATETIME_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The exact instant of an ISO 8601 date or date-time, in nanoseconds since the epoch, or undefined
 * when it is not one. Digits below the nanosecond are dropped; a time without a zone counts as UTC,
 * so the same text always means the same instant. `Date.parse` is not used for the comparison: it
 * keeps milliseconds only, and `.1234Z` and `.1235Z` must not be equal.
 */
export function datetimeInstant(text: string): bigint | undefined {
  const m = DATETIME_PARTS.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', fraction = '', zone = 'Z'] = m;
  const whole = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(whole)) return undefined;
  // Date.parse accepts 24:00 and rolls invalid days over silently in some engines: check the fields.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi)
  ) {
    return undefined;
  }
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*/;
const NUMBER = /^-?\d+(\.\d+)?/;

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c, p: i });
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= input.length) throw new FilterSyntaxError('unterminated string literal', i);
        const d = input[j] as string;
        if (d === "'") {
          if (input[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += d;
        j++;
      }
      out.push({ t: 'string', v, p: i });
      i = j + 1;
      continue;
    }
    const rest = input.slice(i);
    const dt = DATETIME.exec(rest);
    if (dt && /^\d{4}-/.test(rest)) {
      out.push({ t: 'datetime', v: dt[0], p: i });
      i += dt[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ t: 'number', v: Number(num[0]), p: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      out.push({ t: 'ident', v: id[0], p: i });
      i += id[0].length;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  out.push({ t: 'end', p: input.length });
  return out;
}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Parse a `$filter` expression. Throws {@link FilterSyntaxError}. */
export function parseFilter(input: string): FilterExpression {
  const tokens = tokenize(input);
  let k = 0;
  const peek = () => tokens[k] as Token;
  const next = () => tokens[k++] as Token;
  const isWord = (tok: Token, w: string) => tok.t === 'ident' && tok.v.toLowerCase() === w;

  function orExpr(): FilterExpression {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  }
  function andExpr(): FilterExpression {
    let left = unary();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }
  function unary(): FilterExpression {
    const tok = peek();
    if (isWord(tok, 'not')) {
      next();
      return { kind: 'not', expr: unary() };
    }
    if (tok.t === '(') {
      next();
      const e = orExpr();
      const close = next();
      if (close.t !== ')') throw new FilterSyntaxError('expected ")"', close.p);
      return e;
    }
    return comparison();
  }
  function comparison(): FilterExpression {
    const prop = next();
    if (prop.t !== 'ident') throw new FilterSyntaxError('expected a property name', prop.p);
    const op = next();
    if (op.t !== 'ident' || !OPS.has(op.v.toLowerCase())) {
      throw new FilterSyntaxError('expected an operator (eq, ne, gt, ge, lt, le)', op.p);
    }
    return {
      kind: 'compare',
      op: op.v.toLowerCase() as ComparisonOperator,
      path: prop.v.split('/'),
      value: literal(),
    };
  }
  function literal(): FilterLiteral {
    const tok = next();
    switch (tok.t) {
      case 'string':
        return { type: 'string', value: tok.v };
      case 'number':
        return { type: 'number', value: tok.v };
      case 'datetime': {
        const ns = datetimeInstant(tok.v);
        if (ns === undefined) throw new FilterSyntaxError(`invalid date/time ${tok.v}`, tok.p);
        return { type: 'datetime', value: tok.v, ms: Number(ns / 1_000_000n), ns };
      }
      case 'ident': {
        const w = tok.v.toLowerCase();
        if (w === 'true' || w === 'false') return { type: 'boolean', value: w === 'true' };
        if (w === 'null') return { type: 'null' };
        break;
      }
    }
    throw new FilterSyntaxError('expected a literal', tok.p);
  }

  const expr = orExpr();
  const end = peek();
  if (end.t !== 'end') throw new FilterSyntaxError('unexpected input after the expression', end.p);
  return expr;
}

/** Values at a path; arrays along the way fan out (`part/navn eq 'x'` matches any part). */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [value];
  for (const key of path) {
    const nextValues: unknown[] = [];
    for (const v of current) {
      if (v === null || v === undefined) continue;
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) {
        if (item !== null && typeof item === 'object') {
          const child = (item as Record<string, unknown>)[key];
          if (Array.isArray(child)) nextValues.push(...child);
          else nextValues.push(child);
        }
      }
    }
    current = nextValues;
  }
  return current;
}

function compareOne(actual: unknown, op: ComparisonOperator, lit: FilterLiteral): boolean {
  if (lit.type === 'null') {
    const isNull = actual === null || actual === undefined;
    return op === 'eq' ? isNull : op === 'ne' ? !isNull : false;
  }
  if (actual === null || actual === undefined) return op === 'ne';
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (lit.type === 'datetime') {
    const ns = typeof actual === 'string' ? datetimeInstant(actual) : undefined;
    if (ns === undefined) return op === 'ne';
    return compareValues(ns, op, lit.ns);
  } else if (lit.type === 'number') {
    a = typeof actual === 'number' ? actual : Number(actual);
    b = lit.value;
  } else if (lit.type === 'boolean') {
    a = actual === true || actual === 'true';
    b = lit.value;
  } else {
    // A code object (`{kode, kodenavn}`) compares by its kode.
    a =
      typeof actual === 'object' && actual !== null && 'kode' in actual
        ? String((actual as { kode: unknown }).kode)
        : String(actual);
    b = lit.value;
  }
  return compareValues(a, op, b);
}

function compareValues<T extends number | string | boolean | bigint>(
  a: T,
  op: ComparisonOperator,
  b: T,
): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** True when `entity` satisfies `expr`. */
export function evaluateFilter(expr: FilterExpression, entity: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateFilter(expr.left, entity) && evaluateFilter(expr.right, entity);
    case 'or':
      return evaluateFilter(expr.left, entity) || evaluateFilter(expr.right, entity);
    case 'not':
      return !evaluateFilter(expr.expr, entity);
    case 'compare': {
      const values = valuesAt(entity, expr.path);
      if (values.length === 0) return compareOne(undefined, expr.op, expr.value);
      return values.some((v) => compareOne(v, expr.op, expr.value));
    }
  }
}

/** A string literal for a `$filter`, quotes escaped. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A datetime literal for a `$filter` (ISO 8601, UTC). Throws on an invalid timestamp. */
export function odataDateTime(value: string | Date): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new TypeError(`not a timestamp: ${String(value)}`);
  return d.toISOString();
}
