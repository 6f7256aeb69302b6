import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrorCode } from '@registerbro/model';
import { afterAll, describe, expect, it } from 'vitest';
import {
  flowConfig,
  httpClientOptions,
  loadConfig,
  parseConfig,
  secretFromEnv,
  sqliteFile,
} from './config.js';

const valid = () => ({
  tenant: '1806',
  folkeregister: { baseURL: 'http://127.0.0.1:1', auth: { kind: 'token', tokenEnv: 'FREG_TOKEN' } },
  matrikkel: { baseURL: 'http://127.0.0.1:2', usernameEnv: 'M_USER', passwordEnv: 'M_PASS' },
  noark: { baseURL: 'http://127.0.0.1:3/api' },
});

/** The one-line message of the ConfigError `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(hasErrorCode(error, 'config_invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads per-register HTTP settings and the outbox retry, leaving unset keys to the defaults', () => {
    const c = parseConfig({
      ...valid(),
      folkeregister: {
        ...valid().folkeregister,
        http: { timeoutMs: 5000, retries: 2, backoff: { baseMs: 50 }, circuitBreaker: false },
      },
      noark: { ...valid().noark, http: { rateLimit: { requestsPerSecond: 10 } } },
      engine: { retry: { maxAttempts: 3 } },
    });
    expect(httpClientOptions(c.folkeregister.http)).toEqual({
      timeoutMs: 5000,
      retries: 2,
      backoff: { baseMs: 50 },
      circuitBreaker: false,
    });
    expect(httpClientOptions(c.noark.http)).toEqual({ rateLimit: { requestsPerSecond: 10 } });
    expect(httpClientOptions(c.matrikkel.http)).toEqual({});
    expect(c.engine.retry).toEqual({ baseMs: 1_000, maxMs: 600_000, maxAttempts: 3 });
    expect(parseConfig(valid()).engine.retry).toEqual({ baseMs: 1_000, maxMs: 600_000, maxAttempts: 8 });
    const bad = { ...valid(), matrikkel: { ...valid().matrikkel, http: { timeoutMs: -1 } } };
    expect(messageOf(() => parseConfig(bad))).toMatch(/^config: matrikkel\.http\.timeoutMs: expected /);
  });

  it('accepts a minimal config and fills the defaults', () => {
    const c = parseConfig(valid());
    expect(c.store).toEqual({ kind: 'sqlite' });
    expect(c.dataDir).toBe('./data');
    expect(sqliteFile(c)).toMatch(/data[/\\]registerbro\.sqlite$/);
    expect(flowConfig(c, 'F1')).toEqual({
      enabled: true,
      schedule: '*/15 * * * *',
      fullSchedule: '0 3 * * 0',
      firstSync: 'adopt_master_when_certain',
    });
    expect(c.serve.port).toBe(9464);
    expect(c.noark.fagsystem).toBe('registerbro');
  });

  it('names a missing key and what it expects, in one line', () => {
    const { tenant: _t, ...rest } = valid();
    expect(messageOf(() => parseConfig(rest, 'registerbro.yaml'))).toBe(
      'registerbro.yaml: tenant: missing; expected a four-digit kommunenummer in quotes, e.g. "1806"',
    );
  });

  it('names a wrong value by its full path', () => {
    const c = valid();
    c.matrikkel.baseURL = 'matrikkel.example';
    expect(messageOf(() => parseConfig(c))).toBe(
      'config: matrikkel.baseURL: expected the URL of Matrikkelen (http:// or https://)',
    );
    const d = { ...valid(), tenant: 1806 };
    expect(messageOf(() => parseConfig(d))).toMatch(/^config: tenant: expected a four-digit kommunenummer/);
  });

  it('refuses a secret written into the file and says where it belongs', () => {
    const c = { ...valid(), matrikkel: { ...valid().matrikkel, password: 'hunter2' } };
    const message = messageOf(() => parseConfig(c));
    expect(message).toBe(
      'config: matrikkel.password: secrets are not read from the config file; set passwordEnv to the name of an environment variable that holds it',
    );
    expect(message).not.toContain('hunter2');
  });

  it('refuses a secret value where the NAME of an environment variable belongs', () => {
    const c = valid();
    c.matrikkel.passwordEnv = 'hunter2 with spaces';
    expect(messageOf(() => parseConfig(c))).toMatch(
      /^config: matrikkel\.passwordEnv: expected the NAME of an environment variable/,
    );
  });

  it('names unknown keys, bad cron expressions, store and auth variants', () => {
    expect(messageOf(() => parseConfig({ ...valid(), tenantt: '1806' }))).toBe(
      'config: tenantt: unknown setting (check the spelling; see apps/sync/README.md)',
    );
    expect(messageOf(() => parseConfig({ ...valid(), flows: { F1: { schedule: 'often' } } }))).toBe(
      'config: flows.F1.schedule: expected a cron expression with 5 or 6 fields, such as "*/15 * * * *"',
    );
    expect(messageOf(() => parseConfig({ ...valid(), store: { kind: 'postgres' } }))).toMatch(
      /^config: store\.urlEnv: missing; expected the NAME of the environment variable holding the PostgreSQL connection string/,
    );
    expect(messageOf(() => parseConfig({ ...valid(), store: { kind: 'mysql' } }))).toMatch(
      /^config: store\.kind: expected kind "sqlite"/,
    );
    const c = { ...valid(), folkeregister: { baseURL: 'http://x', auth: { kind: 'password' } } };
    expect(messageOf(() => parseConfig(c))).toMatch(
      /^config: folkeregister\.auth\.kind: expected kind "token"/,
    );
    const n = { ...valid(), noark: { baseURL: 'http://x/api', usernameEnv: 'N_USER' } };
    expect(messageOf(() => parseConfig(n))).toBe(
      'config: noark.passwordEnv: expected both usernameEnv and passwordEnv (basic auth), or neither',
    );
    expect(messageOf(() => parseConfig({ ...valid(), serve: { port: 70000 } }))).toBe(
      'config: serve.port: expected a TCP port number (0–65535)',
    );
  });
});

describe('loadConfig and secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registerbro-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML, resolves relative paths against the file, and reports a missing file in one line', () => {
    const file = join(dir, 'registerbro.yaml');
    writeFileSync(
      file,
      [
        'tenant: "1806"',
        'dataDir: ./state',
        'folkeregister: { baseURL: "http://127.0.0.1:1", auth: { kind: token, tokenEnv: FREG_TOKEN } }',
        'matrikkel: { baseURL: "http://127.0.0.1:2", usernameEnv: M_USER, passwordEnv: M_PASS }',
        'noark: { baseURL: "http://127.0.0.1:3/api" }',
      ].join('\n'),
    );
    const c = loadConfig(file);
    expect(c.dataDir).toBe(join(dir, 'state'));
    expect(sqliteFile(c)).toBe(join(dir, 'state', 'registerbro.sqlite'));
    expect(messageOf(() => loadConfig(join(dir, 'nope.yaml')))).toMatch(
      /nope\.yaml: cannot read the config file \(ENOENT\)/,
    );
  });

  it('reports broken YAML and JSON in one line', () => {
    const yaml = join(dir, 'bad.yaml');
    writeFileSync(yaml, 'tenant: "1806\nfoo: [');
    expect(messageOf(() => loadConfig(yaml))).toMatch(/bad\.yaml: not valid YAML: /);
    const json = join(dir, 'bad.json');
    writeFileSync(json, '{"tenant": ');
    expect(messageOf(() => loadConfig(json))).toMatch(/bad\.json: not valid JSON: /);
  });

  it('reads secrets from the environment only, naming the key and the variable when one is missing', () => {
    expect(
      secretFromEnv({ M_PASS: 's3cret' }, 'matrikkel.passwordEnv', 'M_PASS', 'the Matrikkel password'),
    ).toBe('s3cret');
    expect(
      messageOf(() => secretFromEnv({}, 'matrikkel.passwordEnv', 'M_PASS', 'the Matrikkel password')),
    ).toBe(
      'config: matrikkel.passwordEnv: environment variable M_PASS is not set (expected the Matrikkel password)',
    );
    expect(messageOf(() => secretFromEnv({ M_PASS: '' }, 'k', 'M_PASS', 'x'))).toMatch(/M_PASS is not set/);
  });
});
