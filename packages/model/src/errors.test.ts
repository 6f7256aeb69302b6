import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  HttpError,
  InvalidIdentifierError,
  RateLimitError,
  RegisterbroError,
  hasErrorCode,
  isRegisterbroError,
  toRegisterbroError,
} from './errors.js';
import { maskFodselsnummer, redactText } from './redact.js';

describe('errors', () => {
  it('brands errors so a guard works without instanceof', () => {
    const error = new RateLimitError('slow down', { system: 'folkeregister', retryAfterMs: 1500 });
    expect(isRegisterbroError(error)).toBe(true);
    expect(hasErrorCode(error, 'rate_limited')).toBe(true);
    expect(error.retryable).toBe(true);
    const copy = Object.assign(Object.create(null), { [Symbol.for('registerbro.error')]: true, code: 'x' });
    expect(isRegisterbroError(copy)).toBe(true);
    expect(isRegisterbroError(new Error('plain'))).toBe(false);
    expect(isRegisterbroError('string')).toBe(false);
  });

  it('never keeps an eleven-digit number in message, record or url', () => {
    const error = new HttpError('GET personer/01818012345 failed', {
      status: 500,
      method: 'get',
      url: 'https://x/personer/01818012345',
      record: 'person 01818012345',
    });
    expect(error.message).not.toMatch(/\d{11}/);
    expect(error.url).not.toMatch(/\d{11}/);
    expect(error.record).not.toMatch(/\d{11}/);
    expect(error.retryable).toBe(true);
    expect(JSON.stringify(error.toJSON())).not.toMatch(/\d{11}/);
  });

  it('masks the input of an invalid identifier', () => {
    const error = new InvalidIdentifierError('fodselsnummer', '01818012346', 'control digit');
    expect(error.input).toBe('***********');
    expect(error.message).toContain('fodselsnummer');
    expect(error.message).toContain('control digit');
  });

  it('keeps the cause and wraps unknown values', () => {
    const cause = new Error('socket hang up');
    const wrapped = toRegisterbroError(cause, 'matrikkel');
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.code).toBe('unexpected');
    expect(toRegisterbroError(wrapped)).toBe(wrapped);
    expect(new ConflictError('frozen', { code: 'frozen' }).code).toBe('frozen');
    expect(new RegisterbroError('x', 'y')).toBeInstanceOf(Error);
  });
});

describe('redaction', () => {
  it('masks 11-digit runs and spaced forms but not longer or shorter numbers', () => {
    expect(redactText('fnr 01818012345.')).toBe('fnr ***********.');
    expect(redactText('fnr 018180 12345')).toBe('fnr ***********');
    expect(redactText('orgnr 974760673')).toBe('orgnr 974760673');
    expect(redactText('id 123456789012')).toBe('id 123456789012');
    expect(maskFodselsnummer('01818012345')).toBe('***********');
    expect(maskFodselsnummer('abc')).toBe('***');
  });
});

describe('InvalidIdentifierError for person identifiers', () => {
  it.each(['010180123456', '0101801234', '010180-12345', '0101 80 12345'])(
    'masks the near-miss %#',
    (input) => {
      const error = new InvalidIdentifierError('fodselsnummer', input, 'wrong length');
      expect(error.message).not.toContain(input);
      expect(error.message).not.toMatch(/\d{6}/);
      expect(error.input).not.toMatch(/\d/);
    },
  );

  it('keeps other identifiers readable', () => {
    const error = new InvalidIdentifierError('organisasjonsnummer', '97476067', 'wrong length');
    expect(error.input).toBe('97476067');
  });
});

describe('details', () => {
  it('are redacted deeply', () => {
    const error = new RegisterbroError('x', 'y', {
      details: {
        upstream: { melding: 'person 01818012345 finnes ikke', ids: ['01818012345', 7], n: 1818012345 },
      },
    });
    expect(JSON.stringify(error.toJSON())).not.toMatch(/\d{11}/);
    expect((error.details!.upstream as { ids: unknown[] }).ids[1]).toBe(7);
  });
});
