import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { countKinds, startSandbox } from './sandbox.js';

/**
 * `pnpm demo`: start the sandbox with a Narvik-sized municipality, run a full sync with the real
 * `registerbro` command on an embedded SQLite file, apply a round of generated changes (moves,
 * deaths, renamed streets, split properties, …), run an incremental sync, and say what happened and
 * how to look at the conflicts. Needs nothing but the repository.
 */

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(REPO, 'apps/sync/src/cli.ts');

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A degraded run (exit 3) is part of the story and the demo goes on; anything else stops it. */
function checkExit(what: string, code: number): void {
  if (code === 3) process.stdout.write(`   (${what} ended degraded: see the summary above)\n`);
  else if (code !== 0) throw new Error(`${what} exited with ${code}`);
}

/** Run `registerbro …` with the terminal's stderr (progress bar) and a copy of stdout. */
function registerbro(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  options: { quiet?: boolean } = {},
): Promise<{ code: number; stdout: string }> {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--conditions=@registerbro/source', '--import', tsx, CLI, ...args], {
    cwd,
    env: { REGISTERBRO_LOG_FORMAT: 'pretty', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!options.quiet) process.stdout.write(d);
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done({ code: code ?? 1, stdout }));
  });
}

/** What an admin does about the conflicts a sync leaves, by rule (the common ones). */
const CONFLICT_HINTS: Record<string, string> = {
  unmatched_party: 'archive parties without fødselsnummer that look like a person: link or ignore',
  ambiguous_party: 'archive parties without fødselsnummer that fit several people: link the right one',
  local_edit: 'values edited by hand in the archive: take the master or keep the local value',
  split: 'GBNR classes of a split matrikkelenhet: link the case to the right new unit',
  unit_gone: 'GBNR classes naming a unit that no longer exists: correct the class',
};

function conflictSummary(conflicts: readonly { rule: string }[]): string {
  const byRule = new Map<string, number>();
  for (const c of conflicts) byRule.set(c.rule, (byRule.get(c.rule) ?? 0) + 1);
  const lines = [...byRule]
    .sort((a, b) => b[1] - a[1])
    .map(
      ([rule, n]) =>
        `    ${String(n).padStart(6)}  ${rule}${CONFLICT_HINTS[rule] ? ` — ${CONFLICT_HINTS[rule]}` : ''}`,
    );
  return [`  open conflicts    ${conflicts.length}`, ...lines].join('\n');
}

const program = new Command('demo')
  .description('Sandbox + full sync + generated changes + incremental sync, on embedded SQLite.')
  .option('--people <n>', 'people in the municipality (Narvik has about 22 000)', positiveInt, 22_000)
  .option('--seed <seed>', 'seed of the municipality', 'narvik')
  .option('--changes <n>', 'generated changes between the two syncs', positiveInt, 1_000)
  .option('--dir <dir>', 'where the demo keeps its config and SQLite file', join(REPO, 'data/demo'))
  .action(async (o: { people: number; seed: string; changes: number; dir: string }) => {
    const t0 = Date.now();
    const dir = resolve(o.dir);
    // A fresh state every time: the sandbox municipality is new on every start.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const say = (text = '') => process.stdout.write(`${text}\n`);

    say(
      `Registerbro demo — starting the sandbox with ${o.people.toLocaleString('nb-NO')} synthetic people (seed "${o.seed}") …`,
    );
    const sandbox = await startSandbox({ people: o.people, seed: o.seed });
    const stop = () => {
      void sandbox.close().then(() => process.exit(130));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const s = sandbox.summary();
      const tSandbox = Date.now() - t0;
      say(
        `Sandbox ready in ${seconds(tSandbox)}: ${s.people} people (${s.protected} with protected address), ${s.properties} properties, ${s.cases} cases (${s.openCases} open), ${s.records} journalposts.`,
      );
      say(
        `  Folkeregisteret ${sandbox.folkeregister.url} · Matrikkelen ${sandbox.matrikkel.url} · Noark ${sandbox.noark.tgBaseURL}`,
      );
      const config = join(dir, 'registerbro.yaml');
      writeFileSync(config, `${sandbox.configYaml({ dataDir: '.' })}log:\n  level: warn\n`);
      const env = sandbox.env;

      say('\n1) Full sync (registerbro sync --full) on embedded SQLite');
      const t1 = Date.now();
      const full = await registerbro(['--config', config, 'sync', '--full'], env, dir);
      const tFull = Date.now() - t1;
      checkExit('registerbro sync --full', full.code);
      const writesAfterFull = sandbox.noark.writeLog.length;

      say(`\n2) ${o.changes} generated changes in the registers`);
      const made = sandbox.applyChanges({ count: o.changes, seed: 'demo' });
      say(
        `   ${Object.entries(countKinds(made))
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );

      say('\n3) Incremental sync (registerbro sync) from the change feeds');
      const t3 = Date.now();
      const inc = await registerbro(['--config', config, 'sync'], env, dir);
      const tInc = Date.now() - t3;
      checkExit('registerbro sync', inc.code);

      const cmd = `node apps/sync/bin/registerbro.mjs --config ${relative(REPO, config)}`;
      say('\nWhat happened');
      say(`  sandbox start     ${seconds(tSandbox)}`);
      say(`  full sync         ${seconds(tFull)} — ${writesAfterFull} writes in the archive`);
      say(
        `  incremental sync  ${seconds(tInc)} — ${sandbox.noark.writeLog.length - writesAfterFull} more writes after ${made.length} changes`,
      );
      say(`  total             ${seconds(Date.now() - t0)}`);
      const listed = await registerbro(
        ['--config', config, '--json', 'conflicts', 'list', '--limit', '1000000'],
        env,
        dir,
        { quiet: true },
      );
      if (listed.code === 0) say(conflictSummary(JSON.parse(listed.stdout) as { rule: string }[]));
      say('\nLook at the conflicts (the sandbox is gone, the state stays in the SQLite file):');
      say(`  ${cmd} conflicts list`);
      say(`  ${cmd} conflicts list --rule split`);
      say(`  ${cmd} conflicts show 1`);
      say(`  ${cmd} quarantine list`);
      say(`  ${cmd} runs`);
      say(`  ${cmd} audit verify`);
    } finally {
      await sandbox.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
