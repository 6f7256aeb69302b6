import { createPostgresStore } from '@registerbro/engine';
import { type Sandbox, startSandbox } from '@registerbro/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveProblems, archiveReader, removeTempDirs, runCli, writeConfig } from './helpers.js';

/**
 * The same sync on PostgreSQL (127.0.0.1:5432, database `test`, a schema of its own per run), and
 * the flow lock across processes: while another worker holds F1 for the municipality, a second
 * `registerbro sync` does not run it.
 */

const URL = process.env.REGISTERBRO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `rb_sync_e2e_${process.pid}_${Date.now().toString(36)}`;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ people: 800, seed: 'postgres' });
});
afterAll(async () => {
  await sandbox?.close();
  removeTempDirs();
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  await client.query(`drop schema if exists "${SCHEMA}" cascade`);
  await client.end();
});

describe('registerbro on PostgreSQL', () => {
  it('sync --full gives the same result as on SQLite, and the flow lock keeps a second process out', async () => {
    const { dir, config } = writeConfig(sandbox, {
      store: { postgresUrlEnv: 'REGISTERBRO_DATABASE_URL', schema: SCHEMA },
    });
    const env = { ...sandbox.env, REGISTERBRO_DATABASE_URL: URL };
    const r = await runCli(['--config', config, '--json', 'sync', '--full'], { cwd: dir, env });
    expect(r.stderr).not.toMatch(/"level":50/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { store: string; flows: { flow: string; status: string }[] };
    expect(summary.store).toBe(`PostgreSQL (schema ${SCHEMA}, connection from $REGISTERBRO_DATABASE_URL)`);
    expect(summary.store).not.toContain('postgres://');
    expect(summary.flows.map((f) => `${f.flow}:${f.status}`)).toEqual(['F1:ok', 'F2:ok', 'F6:ok']);

    const reader = archiveReader(sandbox);
    const check = await archiveProblems(sandbox, reader);
    await reader.close?.();
    expect(check.problems).toEqual([]);
    expect(check.linkedChecked).toBeGreaterThan(10);

    // The runs are in PostgreSQL, in our schema.
    const store = await createPostgresStore({ connectionString: URL, schema: SCHEMA });
    try {
      const tenant = store.forTenant('1806');
      expect((await tenant.listRuns()).map((run) => `${run.flow}:${run.status}`).sort()).toEqual([
        'F1:ok',
        'F2:ok',
        'F6:ok',
      ]);
      expect((await tenant.verifyAudit()).ok).toBe(true);

      // Another worker holds F1: this process must not run it (exit 75, status skipped).
      expect(await tenant.tryLock('flow:F1', 'other-worker', 30_000)).toBe(true);
      const locked = await runCli(['--config', config, '--json', 'sync', '--flow', 'F1'], { cwd: dir, env });
      expect(locked.code, locked.stderr).toBe(75);
      expect((JSON.parse(locked.stdout) as { flows: { status: string }[] }).flows[0]?.status).toBe('skipped');
      await tenant.unlock('flow:F1', 'other-worker');
      const free = await runCli(['--config', config, '--json', 'sync', '--flow', 'F1'], { cwd: dir, env });
      expect(free.code, free.stderr).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('names the missing connection-string variable in one line', async () => {
    const { dir, config } = writeConfig(sandbox, {
      store: { postgresUrlEnv: 'REGISTERBRO_DATABASE_URL', schema: SCHEMA },
    });
    const r = await runCli(['--config', config, 'runs'], { cwd: dir, env: sandbox.env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe(
      'registerbro: config: store.urlEnv: environment variable REGISTERBRO_DATABASE_URL is not set (expected a PostgreSQL connection string such as postgres://user@host:5432/db)',
    );
  });
});
