import { setMaxListeners } from 'node:events';
import { userInfo } from 'node:os';
import { Writable } from 'node:stream';
import { resolve } from 'node:path';
import type { ConflictResolution, ConflictStatus, RunnableFlow, TenantStore } from '@registerbro/engine';
import { isRegisterbroError, maskFodselsnummer, redactText } from '@registerbro/model';
import type { Logger } from '@registerbro/transport';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type Config, FLOWS, loadConfig } from './config.js';
import { createProgressReporter } from './progress.js';
import {
  renderAudit,
  renderConflict,
  renderConflictList,
  renderQuarantine,
  renderRuns,
  renderSummary,
  renderVerification,
} from './render.js';
import type { SyncService } from './service.js';
import { openStore } from './store.js';

/**
 * The `registerbro` command. Output for people goes to stdout (tables, plans, the summary);
 * logs (pino JSON, fnr masked) go to stderr. `--json` prints machine-readable results instead.
 *
 * Exit codes: 0 ok · 1 error · 2 configuration error · 3 a run ended degraded or failed ·
 * 75 another process holds the flow's lock (try again later) · 130 interrupted.
 */

const EXIT = { ok: 0, error: 1, config: 2, degraded: 3, locked: 75, interrupted: 130 } as const;

interface GlobalOptions {
  config?: string;
  json?: boolean;
}

const out = (text: string) => process.stdout.write(`${redactText(text)}\n`);

function configPath(opts: GlobalOptions): string {
  return resolve(opts.config ?? process.env.REGISTERBRO_CONFIG ?? 'registerbro.yaml');
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Log lines for a person at a terminal: `warn  message (key=value …)`. The lines arrive already
 * redacted by the logger; this only reformats them.
 */
export function humanLogStream(stream: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const {
            level,
            msg,
            time: _t,
            pid: _p,
            hostname: _h,
            name: _n,
            ...rest
          } = JSON.parse(line) as Record<string, unknown>;
          const extra = Object.entries(rest)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' ');
          stream.write(
            `${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra ? ` (${extra})` : ''}\n`,
          );
        } catch {
          stream.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

async function makeLogger(config: Config | undefined, quiet = false): Promise<Logger> {
  // The transport package (HTTP, XML, Maskinporten) loads only for commands that talk to registers.
  const { createLogger } = await import('@registerbro/transport');
  const level = config?.log.level ?? 'info';
  const pretty =
    process.env.REGISTERBRO_LOG_FORMAT === 'pretty' ||
    (process.stderr.isTTY === true && process.env.REGISTERBRO_LOG_FORMAT !== 'json');
  return createLogger({
    name: 'registerbro',
    level: quiet && (level === 'info' || level === 'debug' || level === 'trace') ? 'warn' : level,
    destination: pretty ? humanLogStream(process.stderr) : process.stderr,
  });
}

/** Open the installation, run `fn`, close it — also when `fn` throws. */
async function withService<T>(
  opts: GlobalOptions,
  fn: (service: SyncService, logger: Logger) => Promise<T>,
  loggerOptions: { quiet?: boolean } = {},
): Promise<T> {
  const config = loadConfig(configPath(opts));
  const logger = await makeLogger(config, loggerOptions.quiet);
  // Loaded on demand: the adapters are not needed by the commands that read only the store.
  const { openService } = await import('./service.js');
  const service = await openService(config, { logger });
  try {
    return await fn(service, logger);
  } finally {
    await service.close();
  }
}

/**
 * Open only the store: the commands that read Registerbro's own state (runs, audit, conflicts
 * list/show) work without the registers' credentials and without the registers being up.
 */
async function withStore<T>(opts: GlobalOptions, fn: (tenant: TenantStore) => Promise<T>): Promise<T> {
  const config = loadConfig(configPath(opts));
  const store = await openStore(config);
  try {
    return await fn(store.forTenant(config.tenant));
  } finally {
    await store.close();
  }
}

/** AbortSignal that fires on the first SIGINT/SIGTERM; a second one exits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\nregisterbro: ${signal}: finishing the page in hand (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

const parseFlow = (value: string): RunnableFlow => {
  const flow = value.toUpperCase();
  if (!(FLOWS as readonly string[]).includes(flow))
    throw new InvalidArgumentError(`expected one of ${FLOWS.join(', ')}`);
  return flow as RunnableFlow;
};

const parsePositive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

const actor = (by: string | undefined) => `user:${by ?? process.env.REGISTERBRO_USER ?? userInfo().username}`;

/** Build the command tree (exported for tests of argument parsing). */
export function buildProgram(): Command {
  const program = new Command('registerbro')
    .description('Register every fact once: keep the archive in step with Folkeregisteret and Matrikkelen.')
    .option(
      '-c, --config <file>',
      'config file (YAML or JSON) [env REGISTERBRO_CONFIG, default ./registerbro.yaml]',
    )
    .option('--json', 'print machine-readable JSON instead of tables')
    .showHelpAfterError();

  program
    .command('check')
    .description('Check the configuration, the store and the connection to each register.')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const results = await withService(g, async (s) => {
        const checks = await Promise.all([
          s.adapters.folkeregister.check(),
          s.adapters.matrikkel.check(),
          s.adapters.archive.check(),
        ]);
        const runs = await s.tenant.listRuns({ limit: 1 });
        return { store: { ok: true, lastRun: runs[0]?.startedAt ?? null }, registers: checks };
      });
      const failed = results.registers.filter((c) => !c.ok);
      if (g.json)
        out(
          JSON.stringify({
            ...results,
            registers: results.registers.map(({ error, ...c }) => ({
              ...c,
              ...(error ? { error: error.message } : {}),
            })),
          }),
        );
      else {
        out(`store         ok (last run ${results.store.lastRun ?? 'never'})`);
        for (const c of results.registers)
          out(
            `${c.system.padEnd(13)} ${c.ok ? 'ok' : 'FAILED'} ${Math.round(c.latencyMs)} ms${c.detail ? ` — ${c.detail}` : ''}${c.error ? ` — ${c.error.message}` : ''}`,
          );
      }
      if (failed.length > 0) process.exitCode = EXIT.error;
    });

  program
    .command('sync')
    .description('Run the flows once: read the registers, plan, apply through the outbox, and summarise.')
    .addOption(new Option('-f, --flow <flow>', 'only this flow (F1, F2, F6)').argParser(parseFlow))
    .option('--full', 'full reconciliation (scan the archive) instead of following the change feeds')
    .option('--dry-run', 'plan only: show what would change, write nothing')
    .action(async (o: { flow?: RunnableFlow; full?: boolean; dryRun?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const signal = interruptSignal();
      const tty = process.stderr.isTTY === true && !g.json;
      const progress = createProgressReporter({ tty });
      const summary = await withService(
        g,
        (service) =>
          service.sync({
            ...(o.flow ? { flows: [o.flow] } : {}),
            full: o.full ?? false,
            dryRun: o.dryRun ?? false,
            signal,
            onProgress: (e) => progress.update(e),
          }),
        { quiet: tty },
      );
      progress.done();
      if (g.json) out(JSON.stringify(summary));
      else out(renderSummary(summary));
      if (summary.interrupted) process.exitCode = EXIT.interrupted;
      else if (summary.flows.some((f) => f.status === 'skipped')) process.exitCode = EXIT.locked;
      else if (summary.flows.some((f) => f.status === 'degraded' || f.status === 'failed'))
        process.exitCode = EXIT.degraded;
    });

  const reconcile = program
    .command('reconcile')
    .description(
      'Show the plan for one entity graph (a person, a property or a case); --apply carries it out.',
    );
  for (const [kind, what, example] of [
    ['person', 'fnr/D-nummer', 'the person’s identifier'],
    ['property', 'matrikkelnummer', 'e.g. 1806-12/3/0/0'],
    ['case', 'saksnummer', 'e.g. 2024/123, or the systemID'],
  ] as const) {
    reconcile
      .command(`${kind} <${what}>`)
      .description(`Reconcile everything that depends on one ${kind} (${example}).`)
      .option('--apply', 'enqueue the plan and apply it (default: show only)')
      .action(async (key: string, o: { apply?: boolean }, cmd: Command) => {
        const g = globals(cmd);
        const result = await withService(g, (service) =>
          service.engine.reconcile({ kind, key, apply: o.apply ?? false }),
        );
        const shown = kind === 'person' ? maskFodselsnummer(key) : key;
        if (g.json) {
          out(
            JSON.stringify({
              kind,
              key: shown,
              summary: result.summary,
              cases: result.cases,
              drained: result.drained,
            }),
          );
          return;
        }
        out(`Reconcile ${kind} ${shown}: ${result.cases} case(s) examined`);
        out(result.rendered);
        if (result.drained)
          out(
            `Applied ${result.drained.applied}, already applied ${result.drained.alreadyApplied}, conflicted ${result.drained.conflicted}, failed ${result.drained.failed}.`,
          );
        else if (result.plan.operations.length > 0)
          out(`Nothing written. Run again with --apply to carry it out.`);
      });
  }

  const conflicts = program
    .command('conflicts')
    .description('The conflict queue: what the engine would not decide alone.');
  conflicts
    .command('list')
    .description('List conflicts (open ones by default).')
    .addOption(
      new Option('--status <status>', 'open, resolved or all')
        .choices(['open', 'resolved', 'all'])
        .default('open'),
    )
    .addOption(new Option('-f, --flow <flow>', 'only this flow').argParser(parseFlow))
    .option('--rule <rule>', 'only this rule (e.g. local_edit, unmatched_party, split)')
    .option('--limit <n>', 'at most this many', parsePositive, 100)
    .action(
      async (
        o: { status: ConflictStatus | 'all'; flow?: RunnableFlow; rule?: string; limit: number },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const list = await withStore(g, (t) =>
          t.listConflicts({
            ...(o.status === 'all' ? {} : { status: o.status }),
            ...(o.flow ? { flow: o.flow } : {}),
            ...(o.rule ? { rule: o.rule } : {}),
            limit: o.limit,
          }),
        );
        const safe = list.map(({ rawEntityKey: _raw, ...c }) => c);
        out(g.json ? JSON.stringify(safe) : renderConflictList(list));
      },
    );
  conflicts
    .command('show <id>')
    .description('Show one conflict: the master’s value, the archive’s, and the last synced base.')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const conflict = await withStore(g, (t) => t.getConflict(parsePositive(id.replace(/^#/, ''))));
      if (!conflict) {
        process.stderr.write(
          `registerbro: conflict #${id} does not exist (see registerbro conflicts list)\n`,
        );
        process.exitCode = EXIT.error;
        return;
      }
      const { rawEntityKey: _raw, ...safe } = conflict;
      out(g.json ? JSON.stringify(safe) : renderConflict(conflict));
    });
  conflicts
    .command('resolve <id>')
    .description('Resolve a conflict; the decision is audited and applied like any other operation.')
    .option('--take-master', 'write the master’s value to the archive')
    .option('--keep-local', 'keep the archive’s value (it becomes the new base)')
    .option('--ignore', 'leave both as they are')
    .option('--link <entity>', 'link the archive record to this entity instead')
    .option('--note <text>', 'why (stored in the audit log)')
    .option('--by <user>', 'who decides [env REGISTERBRO_USER, default the OS user]')
    .action(
      async (
        id: string,
        o: {
          takeMaster?: boolean;
          keepLocal?: boolean;
          ignore?: boolean;
          link?: string;
          note?: string;
          by?: string;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd);
        const chosen: ConflictResolution[] = [
          ...(o.takeMaster ? (['take_master'] as const) : []),
          ...(o.keepLocal ? (['keep_local'] as const) : []),
          ...(o.ignore ? (['ignore'] as const) : []),
          ...(o.link ? (['link'] as const) : []),
        ];
        if (chosen.length !== 1) {
          process.stderr.write(
            'registerbro: conflicts resolve: give exactly one of --take-master, --keep-local, --ignore, --link <entity>\n',
          );
          process.exitCode = EXIT.error;
          return;
        }
        const resolution = chosen[0] as ConflictResolution;
        const result = await withService(g, (s) =>
          s.engine.resolveConflict(
            parsePositive(id.replace(/^#/, '')),
            { resolution, ...(o.note ? { note: o.note } : {}), ...(o.link ? { linkTo: o.link } : {}) },
            actor(o.by),
          ),
        );
        if (g.json) out(JSON.stringify(result));
        else
          out(
            `Conflict #${result.conflictId} resolved: ${result.resolution}${result.drained ? ` (applied ${result.drained.applied}, already ${result.drained.alreadyApplied}, conflicted ${result.drained.conflicted})` : ''}`,
          );
      },
    );

  const quarantine = program
    .command('quarantine')
    .description(
      'Bad inputs set aside with the reason (malformed records, invalid identifiers, unsupported writes).',
    );
  quarantine
    .command('list')
    .description('List quarantine entries (open ones by default).')
    .addOption(
      new Option('--status <status>', 'open, released or all')
        .choices(['open', 'released', 'all'])
        .default('open'),
    )
    .option('--limit <n>', 'at most this many', parsePositive, 100)
    .action(async (o: { status: 'open' | 'released' | 'all'; limit: number }, cmd: Command) => {
      const g = globals(cmd);
      const list = await withStore(g, (t) =>
        t.listQuarantine({ ...(o.status === 'all' ? {} : { status: o.status }), limit: o.limit }),
      );
      const safe = list.map(({ rawKey: _raw, ...q }) => q);
      out(g.json ? JSON.stringify(safe) : renderQuarantine(list));
    });
  quarantine
    .command('release <id>')
    .description(
      'Release an entry (fixed upstream, or accepted); audited. A failed archive write goes back to the outbox: the next sync applies it.',
    )
    .option('--note <text>', 'why (stored in the audit log)')
    .option('--by <user>', 'who decides [env REGISTERBRO_USER, default the OS user]')
    .action(async (id: string, o: { note?: string; by?: string }, cmd: Command) => {
      const g = globals(cmd);
      const released = await withStore(g, (t) =>
        t.releaseQuarantine(parsePositive(id.replace(/^#/, '')), actor(o.by), o.note),
      );
      if (!released) {
        process.stderr.write(
          `registerbro: quarantine entry #${id} does not exist (see registerbro quarantine list)\n`,
        );
        process.exitCode = EXIT.error;
        return;
      }
      out(
        g.json
          ? JSON.stringify({ id: released.id, status: released.status })
          : `Quarantine entry #${released.id} released.`,
      );
    });

  program
    .command('runs')
    .description('Recent runs, newest first.')
    .addOption(new Option('-f, --flow <flow>', 'only this flow').argParser(parseFlow))
    .option('--limit <n>', 'at most this many', parsePositive, 20)
    .action(async (o: { flow?: RunnableFlow; limit: number }, cmd: Command) => {
      const g = globals(cmd);
      const runs = await withStore(g, (t) =>
        t.listRuns({ ...(o.flow ? { flow: o.flow } : {}), limit: o.limit }),
      );
      out(g.json ? JSON.stringify(runs) : renderRuns(runs));
    });

  const audit = program
    .command('audit')
    .description('The append-only, hash-chained audit log: who changed what.')
    .option('--after <seq>', 'entries after this sequence number', parsePositive, 0)
    .option('--limit <n>', 'at most this many', parsePositive, 50)
    .action(async (o: { after: number; limit: number }, cmd: Command) => {
      const g = globals(cmd);
      const entries = await withStore(g, (t) => t.listAudit({ afterSeq: o.after, limit: o.limit }));
      out(g.json ? JSON.stringify(entries) : renderAudit(entries));
    });
  audit
    .command('verify')
    .description('Recompute the hash chain and report the first entry that does not check out.')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const v = await withStore(g, (t) => t.verifyAudit());
      out(g.json ? JSON.stringify(v) : renderVerification(v));
      if (!v.ok) process.exitCode = EXIT.error;
    });

  program
    .command('serve')
    .description('Run the flows on their schedules with /healthz, /readyz and /metrics, until SIGTERM.')
    .option('--port <port>', 'listen on this port (0: any free port) [config serve.port]', parsePositive)
    .option('--host <host>', 'listen on this address [config serve.host]')
    .option('--run-now', 'run every enabled flow once right after start')
    .action(async (o: { port?: number; host?: string; runNow?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const config = loadConfig(configPath(g));
      const logger = await makeLogger(config);
      const { openService } = await import('./service.js');
      const { startServer } = await import('./serve.js');
      const service = await openService(config, { logger });
      const server = await startServer(service, {
        logger,
        ...(o.port !== undefined ? { port: o.port } : {}),
        ...(o.host ? { host: o.host } : {}),
        ...(o.runNow ? { runNow: true } : {}),
      });
      await new Promise<void>((done) => {
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals) => {
          if (++signals > 1) process.exit(EXIT.interrupted);
          void server.stop(signal).then(done);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });

  return program;
}

/** Print an error as one line (plus its hint) and set the exit code. */
export function reportError(error: unknown): number {
  if (isRegisterbroError(error)) {
    process.stderr.write(`registerbro: ${error.message}\n`);
    if (error.hint && error.code !== 'config_invalid') process.stderr.write(`  ${error.hint}\n`);
    return error.code === 'config_invalid'
      ? EXIT.config
      : error.code === 'flow_locked'
        ? EXIT.locked
        : EXIT.error;
  }
  process.stderr.write(
    `registerbro: ${redactText(error instanceof Error ? error.message : String(error))}\n`,
  );
  return EXIT.error;
}

const isMain = process.argv[1] !== undefined && /cli\.[cm]?[jt]s$/.test(process.argv[1]);
if (isMain) {
  // The adapters' parallel requests each listen on the run's AbortSignal; ten is too few.
  setMaxListeners(64);
  buildProgram()
    .parseAsync(process.argv)
    .then(
      () => {
        // Open sockets (keep-alive agents) must not keep a finished command alive.
        if (!process.argv.includes('serve'))
          setTimeout(() => process.exit(process.exitCode ?? 0), 50).unref();
      },
      (error: unknown) => {
        process.exit(reportError(error));
      },
    );
}
