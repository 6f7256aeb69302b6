import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TenantStore, createSqliteStore } from '@registerbro/engine';
import type { Party } from '@registerbro/model';
import type { NoarkAdapter } from '@registerbro/noark';
import type { Sandbox } from '@registerbro/sandbox';

/**
 * Helpers of the fault tests (`faults.test.ts`): a config with per-register HTTP settings and fast
 * outbox retries, every case of the archive as comparable text (closed ones too), and a look into
 * the SQLite store a `registerbro` process wrote.
 */

/** Per-register HTTP settings and engine settings of a test config. */
export interface FaultConfigOptions {
  /** `http:` settings per register (YAML flow mapping text), e.g. `{ timeoutMs: 800, retries: 4 }`. */
  http?: Partial<Record<'folkeregister' | 'matrikkel' | 'noark', string>>;
  /** More lines under `engine:` (indented two spaces). */
  engine?: string[];
}

/**
 * A temporary folder with the sandbox's config plus per-register `http` settings and engine
 * settings (short lock/lease expiry, fast retries): a faulty run stays short.
 */
export function writeFaultConfig(
  sandbox: Sandbox,
  options: FaultConfigOptions = {},
): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'registerbro-faults-'));
  made.push(dir);
  const lines = sandbox.configYaml({ dataDir: './data' }).split('\n');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const section = /^(folkeregister|matrikkel|noark):$/.exec(line)?.[1] as
      | 'folkeregister'
      | 'matrikkel'
      | 'noark'
      | undefined;
    const http = section ? options.http?.[section] : undefined;
    if (http) out.push(`  http: ${http}`);
  }
  out.push('engine:', '  lockTtlMs: 1500', '  leaseMs: 1500', ...(options.engine ?? []), '');
  const config = join(dir, 'registerbro.yaml');
  writeFileSync(config, out.join('\n'));
  return { dir, config };
}

const made: string[] = [];

/** Remove the folders {@link writeFaultConfig} made. */
export function removeFaultDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Every case of the archive, open or closed, as an archive user reads it (`getMany` through the
 * Tjenestegrensesnitt): status, classes, and each party's identifier, name, role, address and
 * deceased flag (what the flows write; the flag lives in the archive's own tables, so it shows
 * only here). Parties by content, since the systemIDs of parties a sync added are random.
 */
export async function archiveCases(sandbox: Sandbox, reader: NoarkAdapter): Promise<string[]> {
  const ids = [...sandbox.world.cases.keys()].sort();
  const lines: string[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const { entities, missing } = await reader.getMany(ids.slice(i, i + 200));
    for (const key of missing) lines.push(`${key} missing`);
    for (const c of entities.sort((a, b) => (a.systemId < b.systemId ? -1 : 1))) {
      const parties = c.parties
        .map((p: Party) =>
          JSON.stringify([p.kind, p.identifier, p.name, p.role, p.address ?? null, p.deceased ?? false]),
        )
        .sort();
      const classes = c.classes.map((k) => `${k.system}:${k.classId}`).sort();
      lines.push(`${c.systemId} ${c.status} ${classes.join(',')} ${parties.join(';')}`);
    }
  }
  return lines;
}

/** Open the SQLite store a `registerbro` process wrote in `dir`, for one look. */
export async function withStoreIn<T>(dir: string, fn: (t: TenantStore) => Promise<T>): Promise<T> {
  const store = await createSqliteStore({ file: join(dir, 'data', 'registerbro.sqlite') });
  try {
    return await fn(store.forTenant('1806'));
  } finally {
    await store.close();
  }
}

/** The JSON summary `registerbro --json sync` prints. */
export interface Summary {
  flows: {
    flow: string;
    mode: string;
    status: string;
    message?: string;
    counts: Record<string, number>;
    drained?: {
      applied: number;
      alreadyApplied: number;
      conflicted: number;
      failed: number;
      retried: number;
    };
  }[];
  openConflicts: number;
  openQuarantine: number;
}
