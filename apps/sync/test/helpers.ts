import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type NoarkAdapter, createNoarkAdapter } from '@registerbro/noark';
import type { Sandbox } from '@registerbro/sandbox';
import { personFullName } from '@registerbro/testkit';
import { basicAuth } from '@registerbro/transport';

/** Helpers of the end-to-end tests: the real `registerbro` process against the sandbox. */

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(REPO, 'apps/sync/src/cli.ts');
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start `registerbro …` as its own node process (no wrapper, so signals reach it). */
export function spawnCli(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): ChildProcess {
  return spawn(process.execPath, ['--conditions=@registerbro/source', '--import', TSX, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collect a child's output and exit. */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`registerbro did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, signal, stdout, stderr }));
    });
  });
}

/** Run `registerbro …` to the end. */
export function runCli(
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  return collect(spawnCli(args, options), options.timeoutMs);
}

const made: string[] = [];

/** Remove the temporary folders {@link writeConfig} made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temporary folder with the sandbox's config (plus fast lock/lease expiry for crash tests). */
export function writeConfig(
  sandbox: Sandbox,
  options: { store?: 'sqlite' | { postgresUrlEnv: string; schema: string }; extra?: string } = {},
): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'registerbro-e2e-'));
  made.push(dir);
  const config = join(dir, 'registerbro.yaml');
  writeFileSync(
    config,
    `${sandbox.configYaml({ dataDir: './data', ...(options.store ? { store: options.store } : {}) })}engine:\n  lockTtlMs: 1500\n  leaseMs: 1500\n${options.extra ?? ''}`,
  );
  return { dir, config };
}

/** A Noark client over the sandbox archive, to look at it as any archive user would. */
export function archiveReader(sandbox: Sandbox): NoarkAdapter {
  return createNoarkAdapter({
    baseURL: sandbox.noark.tgBaseURL,
    auth: basicAuth(
      sandbox.env.REGISTERBRO_NOARK_USERNAME ?? '',
      sandbox.env.REGISTERBRO_NOARK_PASSWORD ?? '',
    ),
  });
}

/**
 * What is wrong in the archive, judged against the testkit world's ground truth: a party of a
 * person with protected address that holds any address, and linked parties (their identifier is
 * the person's current one) whose name, status or address is not current. Open cases only (the
 * flows maintain open cases). `exclude` holds party targets with an open conflict.
 */
export async function archiveProblems(
  sandbox: Sandbox,
  reader: NoarkAdapter,
  exclude: ReadonlySet<string> = new Set(),
): Promise<{
  problems: string[];
  linkedChecked: number;
  protectedChecked: number;
  unidentifiedProtected: string[];
}> {
  const world = sandbox.world;
  const problems: string[] = [];
  const unidentifiedProtected: string[] = [];
  let linkedChecked = 0;
  let protectedChecked = 0;
  for (const kase of world.cases.values()) {
    if (!kase.open) continue;
    const c = await reader.get(kase.systemId);
    if (!c) {
      problems.push(`case ${kase.systemId} is missing`);
      continue;
    }
    for (const party of c.parties) {
      const truth = kase.parties.find((p) => p.systemId === party.systemId);
      const person = truth?.personId ? world.people.get(truth.personId) : undefined;
      if (!person) continue;
      const target = `saksmappe/${kase.systemId}/part/${party.systemId}`;
      const isProtected = person.adressebeskyttelse !== 'ugradert';
      if (isProtected) {
        protectedChecked++;
        if (!party.address) continue;
        // A party without identifier that the engine could not tie to the person (no open
        // conflict either) is an engine limitation reported separately, not a write we made.
        if (party.identifier === undefined) {
          if (!exclude.has(target)) unidentifiedProtected.push(target);
          continue;
        }
        problems.push(`${target}: a protected person's party holds an address`);
        continue;
      }
      if (party.identifier !== person.fnr || exclude.has(target)) continue;
      // A change the register dates after today is not due yet (Folkeregisteret reports moves ahead).
      const today = new Date().toISOString().slice(0, 10);
      const home0 = person.residentialAddressId;
      if (
        world.changes.some(
          (c) =>
            c.at.slice(0, 10) > today &&
            (c.personId === person.id || (home0 && c.addressIds?.includes(home0))),
        )
      )
        continue;
      linkedChecked++;
      if (party.name !== personFullName(person)) problems.push(`${target}: name is not current`);
      if ((person.status === 'doed') !== (party.deceased === true))
        problems.push(`${target}: deceased flag is not current`);
      const home = person.residentialAddressId ? world.addresses.get(person.residentialAddressId) : undefined;
      if (person.status === 'bosatt' && home && !person.postalAddress && home.adressenavn) {
        const line = party.address?.adresselinjer?.[0] ?? '';
        if (party.address?.postnummer !== home.postnummer || !line.startsWith(home.adressenavn))
          problems.push(`${target}: address is not current`);
      }
    }
  }
  return { problems, linkedChecked, protectedChecked, unidentifiedProtected };
}

/** Party targets named by open conflicts (`saksmappe/…/part/…`). */
export function conflictTargets(conflicts: readonly { entityKey: string; status: string }[]): Set<string> {
  return new Set(
    conflicts.filter((c) => c.status === 'open').map((c) => c.entityKey.replace(/@[a-z]+$/, '')),
  );
}
