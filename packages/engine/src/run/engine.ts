import { randomUUID } from 'node:crypto';
import {
  type Case,
  ConfigError,
  ConflictError,
  RegisterbroError,
  formatMatrikkelnummer,
  hasErrorCode,
  isRegisterbroError,
  maskFodselsnummer,
  parseMatrikkelnummer,
  personName,
} from '@registerbro/model';
import { type ArchiveOperation, type OperationDraft, finalizeOperation } from '../plan/operations.js';
import { mergePlans, renderPlan, summarizePlan } from '../plan/plan.js';
import { PROTECTED_PLACEHOLDER, type Plan, emptyPlan } from '../plan/types.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import type { Conflict, RunFinish } from '../store/types.js';
import { SharedArchiveScan, partyTargetsOf, readRecords, useSharedScan } from './archive-read.js';
import {
  type RunContext,
  caseIdOfTarget,
  commitPlan,
  createRunContext,
  parseConflictEntityKey,
  suppressionOf,
  toOutboxInput,
} from './context.js';
import { FlowLockedError, SourceFailedError, registerName } from './errors.js';
import {
  caseIdentifiers,
  folkeregisterOf,
  nameReferenceKeys,
  planCasesF1,
  readCasesByKey,
  readPeople,
  runFullF1,
  runIncrementalF1,
} from './flow-f1.js';
import { loadUnits, matrikkelOf, planCasesF2, runFullF2, runIncrementalF2 } from './flow-f2.js';
import { planAfter, runFullF6, runIncrementalF6 } from './flow-f6.js';
import { drainOutbox } from './outbox.js';
import type {
  DrainReport,
  Engine,
  EngineLogger,
  EngineOptions,
  ProgressEvent,
  ReconcileOptions,
  ReconcileResult,
  ResolveDecision,
  ResolveResult,
  RunFlowOptions,
  RunReport,
  RunnableFlow,
} from './types.js';

const SILENT: EngineLogger = { info() {}, warn() {}, error() {} };
/** The order a sequential sync runs the flows in (and `runFlows` starts them in). */
const ORDER: readonly RunnableFlow[] = ['F1', 'F2', 'F6'];

/**
 * The engine runner: turns the adapters, the store and the pure planners into a sync.
 *
 * - `runFlow(flow, { mode })` runs F1 (people in the archive), F2 (properties in cases) or F6
 *   (addresses), full or incremental, under a per-flow lock, recorded as a run;
 * - `drainOutbox()` applies planned operations to the archive (idempotent, resumable);
 * - `reconcile({ kind, key })` plans one entity graph (dry run, or `apply: true`);
 * - `resolveConflict(id, decision, actor)` records an admin's decision and applies it.
 *
 * The engine never imports an adapter: it works against the `Adapter` contract only.
 */
export function createEngine(options: EngineOptions): Engine {
  const { store } = options;
  const clock = options.clock ?? Date.now;
  const logger = options.logger ?? SILENT;
  const owner = options.owner ?? `engine-${randomUUID()}`;
  const lockTtlMs = options.lockTtlMs ?? 60_000;
  const base = { store, options, logger, owner, clock };

  // One drain at a time per engine: flows running at once (runFlows) each drain at their end (and
  // incremental ones after every page); queued drains keep one case's writes in outbox order.
  let drainQueue: Promise<unknown> = Promise.resolve();
  const drain = (signal?: AbortSignal, onBatch?: (r: DrainReport) => void): Promise<DrainReport> => {
    const next = drainQueue.then(() => drainNow(signal, onBatch));
    drainQueue = next.catch(() => undefined);
    return next;
  };
  const drainNow = async (signal?: AbortSignal, onBatch?: (r: DrainReport) => void): Promise<DrainReport> =>
    drainOutbox({
      store,
      archive: options.archive,
      owner,
      clock,
      logger,
      leaseMs: options.leaseMs ?? 60_000,
      retry: {
        baseMs: options.retry?.baseMs ?? 1_000,
        maxMs: options.retry?.maxMs ?? 600_000,
        maxAttempts: options.retry?.maxAttempts ?? 8,
      },
      concurrency: options.applyConcurrency ?? 1,
      ...(signal ? { signal } : {}),
      ...(onBatch ? { onBatch } : {}),
    });

  const drainInto = async (ctx: RunContext): Promise<void> => {
    countDrain(ctx, await drain(ctx.signal));
    ctx.progress('drain');
  };

  /** What `runFlows` hands one of its runs. */
  interface Together {
    /** The archive scan shared by the full runs. */
    scan?: SharedArchiveScan;
    /** F6: settles when the runs F6 followed in a sequential sync (F1, F2) have ended. */
    after?: Promise<unknown>;
  }

  const countDrain = (ctx: RunContext, r: DrainReport): void => {
    ctx.count('operationsApplied', r.applied);
    ctx.count('operationsAlreadyApplied', r.alreadyApplied);
    ctx.count('operationsConflicted', r.conflicted);
    ctx.count('operationsFailed', r.failed);
    ctx.count('operationsRetried', r.retried);
  };

  /**
   * Drains started along a run (`kick` after a page commit): one at a time, again when pages were
   * committed meanwhile. A failing one stops them (the run's own drain at the end meets the same
   * failure and reports it); `settle` waits for the one in flight and starts no more.
   */
  function drainAlong(ctx: RunContext): { kick(): void; settle(): Promise<void> } {
    let running: Promise<void> | undefined;
    let again = false;
    let stopped = false;
    return {
      kick() {
        if (stopped) return;
        if (running) {
          again = true;
          return;
        }
        running = (async () => {
          do {
            again = false;
            try {
              countDrain(ctx, await drain(ctx.signal));
            } catch {
              stopped = true;
            }
          } while (again && !stopped);
        })().finally(() => {
          running = undefined;
        });
      },
      async settle() {
        stopped = true;
        await running;
      },
    };
  }

  async function runFlow(flow: RunnableFlow, run: RunFlowOptions, together?: Together): Promise<RunReport> {
    try {
      return await runFlowAlone(flow, run, together);
    } finally {
      // A run that stopped before (or while) reading the shared scan must not hold the others back.
      together?.scan?.leave(flow);
    }
  }

  function runFlows(flows: readonly RunnableFlow[], run: RunFlowOptions): Promise<RunReport>[] {
    const unique = [...new Set(flows)];
    const full = run.mode === 'full' ? unique.filter((f) => ORDER.includes(f)) : [];
    const scan =
      full.length > 1
        ? new SharedArchiveScan(options.archive, full, {
            pageSize: options.scanPageSize ?? 100,
            ...(options.sharedScanWindow === undefined ? {} : { window: options.sharedScanWindow }),
          })
        : undefined;
    const started = new Map<RunnableFlow, Promise<RunReport>>();
    const settled = (f: RunnableFlow) => started.get(f)?.catch(() => undefined);
    for (const flow of ORDER.filter((f) => unique.includes(f))) {
      const after =
        flow === 'F6' ? Promise.all([settled('F1'), settled('F2')]).then(() => undefined) : undefined;
      started.set(
        flow,
        runFlow(flow, run, {
          ...(scan ? { scan } : {}),
          ...(after ? { after } : {}),
        }),
      );
    }
    return flows.map((f) => {
      const p = started.get(f);
      if (p === undefined) return runFlow(f, run);
      return p;
    });
  }

  async function runFlowAlone(
    flow: RunnableFlow,
    run: RunFlowOptions,
    together?: Together,
  ): Promise<RunReport> {
    if (flow !== 'F1' && flow !== 'F2' && flow !== 'F6') {
      throw new ConfigError(`Unknown flow "${String(flow)}"`, { key: 'flow', hint: 'Run F1, F2 or F6.' });
    }
    if (options.flows?.[flow]?.enabled === false) {
      throw new ConfigError(`Flow ${flow} is disabled`, {
        key: `flows.${flow}.enabled`,
        hint: 'Enable it in the configuration.',
      });
    }
    const dryRun = run.dryRun ?? false;
    const probe = createRunContext(base, flow, dryRun, run.signal);
    if (flow === 'F1') folkeregisterOf(probe);
    else matrikkelOf(probe, flow);

    const lockName = `flow:${flow}`;
    // A dry run writes nothing, so it needs no lock and never blocks a real run.
    if (!dryRun && !(await store.tryLock(lockName, owner, lockTtlMs))) {
      throw new FlowLockedError(flow, (await store.getLock(lockName))?.owner);
    }
    // Lose the lock (a long stall) → stop: another worker may already run the flow.
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort(run.signal?.reason);
    run.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (run.signal?.aborted) controller.abort(run.signal.reason);
    const renew = dryRun
      ? undefined
      : setInterval(
          () => {
            store.renewLock(lockName, owner, lockTtlMs).then(
              (held) => {
                if (!held)
                  controller.abort(
                    new FlowLockedError(flow, undefined, { hint: 'The lock expired during the run.' }),
                  );
              },
              () => undefined,
            );
          },
          Math.max(1_000, Math.floor(lockTtlMs / 3)),
        );
    renew?.unref?.();

    // runFlows, full: the outbox is applied while the pages go on (after each page commit, one drain
    // at a time), so the archive's round trips overlap the flows' work; the drain at the end applies
    // the rest. A lone runFlow applies at the end only.
    let kick = (): void => {};
    const runBase =
      together && !dryRun && run.mode === 'full'
        ? {
            ...base,
            options: {
              ...options,
              onProgress: (event: ProgressEvent) => {
                options.onProgress?.(event);
                if (event.phase === 'commit' && event.flow === flow) kick();
              },
            },
          }
        : base;
    const ctx = createRunContext(runBase, flow, dryRun, controller.signal);
    const early = runBase === base ? undefined : drainAlong(ctx);
    if (early) kick = early.kick;
    if (together?.scan) useSharedScan(ctx, together.scan, flow);
    if (together?.after) planAfter(ctx, together.after);
    let runId: number | undefined;
    let finish: RunFinish | undefined;
    try {
      const started = await store.startRun({ flow, mode: dryRun ? 'dry-run' : run.mode });
      runId = started.id;
      ctx.runId = started.id;
      // We hold the flow's lock: any other run of it still marked running belongs to a dead worker.
      for (const stale of await store.listRuns({ flow, limit: 50 })) {
        // Dry runs take no lock, so a running one may be alive: leave it.
        if (dryRun || stale.status !== 'running' || stale.id === started.id || stale.mode === 'dry-run')
          continue;
        await store.finishRun(stale.id, {
          status: 'failed',
          message: `The worker running this run stopped (crash or kill); run #${started.id} resumed from the stored cursor and outbox.`,
        });
      }
      logger.info(`flow ${flow} started`, { runId, mode: run.mode, dryRun });
      let note: string | undefined;
      try {
        const incremental =
          flow === 'F1' ? runIncrementalF1 : flow === 'F2' ? runIncrementalF2 : runIncrementalF6;
        const full = flow === 'F1' ? runFullF1 : flow === 'F2' ? runFullF2 : runFullF6;
        if (run.mode === 'incremental') {
          const ran = await incremental(ctx, () => drainInto(ctx));
          if (!ran) {
            note = `Flow ${flow} had no stored cursor yet: ran a full sync first.`;
            await full(ctx);
          }
        } else {
          await full(ctx);
        }
        await early?.settle();
        if (!dryRun) await drainInto(ctx);
        finish = { status: 'ok', counts: { ...ctx.counts }, ...(note ? { message: note } : {}) };
      } catch (error) {
        if (error instanceof SourceFailedError || hasErrorCode(error, 'source_failed')) {
          const e = error as SourceFailedError;
          // The work of the pages already committed is durable; apply it before stopping.
          await early?.settle();
          if (!dryRun) {
            try {
              await drainInto(ctx);
            } catch {
              // The drain is retried by the next run.
            }
          }
          finish = {
            status: 'degraded',
            counts: { ...ctx.counts },
            message: `${e.message}. ${e.hint ?? ''}`.trim(),
          };
          logger.warn(`flow ${flow} degraded: ${registerName(e.source)} failed`, { runId, code: e.code });
        } else {
          const e = isRegisterbroError(error) ? error : undefined;
          finish = {
            status: 'failed',
            counts: { ...ctx.counts },
            message: `${e?.message ?? (error as Error)?.message ?? String(error)}${e?.hint ? ` — ${e.hint}` : ''}`,
          };
          logger.error(`flow ${flow} failed`, { runId, code: e?.code ?? 'unexpected' });
          throw error;
        }
      }
    } finally {
      await early?.settle();
      clearInterval(renew);
      run.signal?.removeEventListener('abort', onOuterAbort);
      if (runId !== undefined && finish !== undefined) {
        try {
          await store.finishRun(runId, finish);
        } catch (error) {
          logger.error('could not record the end of the run', {
            runId,
            code: (error as { code?: string }).code,
          });
        }
      }
      if (!dryRun) {
        try {
          await store.unlock(lockName, owner);
        } catch {
          // The lock expires on its own.
        }
      }
      ctx.progress('done');
    }
    const report: RunReport = {
      runId: runId ?? 0,
      flow,
      mode: run.mode,
      dryRun,
      status: finish?.status ?? 'failed',
      counts: { ...ctx.counts },
      ...(finish?.message ? { message: finish.message } : {}),
    };
    if (dryRun) {
      const plan = ctx.plans.length === 0 ? emptyPlan() : mergePlans(...ctx.plans);
      report.plan = plan;
      report.rendered = renderPlan(plan, { title: `Plan for ${flow} (tørrkjøring, ${run.mode})` });
    }
    logger.info(`flow ${flow} finished: ${report.status}`, { runId, counts: report.counts });
    return report;
  }

  async function reconcile(r: ReconcileOptions): Promise<ReconcileResult> {
    const flow: RunnableFlow = r.kind === 'property' ? 'F2' : 'F1';
    const ctx = createRunContext(base, flow, r.apply !== true, r.signal);
    const plans: { plan: Plan; protectedOp: (op: ArchiveOperation) => boolean }[] = [];
    const cases: Case[] = [];
    if (r.kind === 'person') {
      const source = folkeregisterOf(ctx);
      const person = await readPeople(ctx, source, [r.key]);
      const ids = new Set<string>([r.key]);
      // The parties without identifier bearing their name may be them too (and, for a person with
      // protected address, must lose a copied address).
      const names = new Set<string>();
      for (const p of new Set(person.persons.values())) {
        for (const i of p.identifiers) ids.add(i.value);
        for (const key of nameReferenceKeys(p)) names.add(key);
      }
      const caseIds = new Set<string>();
      for (const ref of await store.dependentsOfMany('folkeregister', [...ids, ...names]))
        caseIds.add(ref.targetKey);
      cases.push(...(await readCasesByKey(ctx, [...caseIds])).cases);
      plans.push(await planGraphF1(ctx, cases, ids));
    } else if (r.kind === 'property') {
      const source = matrikkelOf(ctx, 'F2');
      const key = formatMatrikkelnummer(
        parseMatrikkelnummer(r.key, { defaultKommunenummer: options.defaultKommunenummer ?? store.tenant }),
      );
      const caseIds = new Set((await store.dependentsOf('matrikkel', key)).map((d) => d.targetKey));
      cases.push(...(await readCasesByKey(ctx, [...caseIds])).cases);
      const units = await loadUnits(ctx, source, cases);
      plans.push(await planCasesF2(ctx, cases, units));
    } else {
      const c = await ctx.source('noark', 'reading the case', () => options.archive.get(r.key));
      if (c === null) {
        throw new RegisterbroError('not_found', `The archive does not know case ${r.key}`, {
          system: 'noark',
          hint: 'Give the case’s systemID or saksnummer (YYYY/N).',
        });
      }
      cases.push(c);
      if (options.sources.folkeregister) plans.push(await planGraphF1(ctx, cases));
      if (options.sources.matrikkel) {
        const units = await loadUnits(ctx, options.sources.matrikkel, cases);
        plans.push(await planCasesF2(ctx, cases, units));
      }
    }
    const plan = mergePlans(...plans.map((p) => p.plan));
    const protectedOp = (op: ArchiveOperation): boolean => plans.some((p) => p.protectedOp(op));
    const shownKey = r.kind === 'person' ? maskFodselsnummer(r.key) : r.key;
    const result: ReconcileResult = {
      plan,
      summary: summarizePlan(plan),
      rendered: renderPlan(plan, {
        title: `Avstemming av ${r.kind} ${shownKey} (${r.apply ? 'utføres' : 'tørrkjøring'})`,
      }),
      cases: cases.length,
    };
    if (r.apply) {
      await commitPlan(ctx, {
        source: 'engine',
        stream: 'reconcile',
        cursor: ctx.nowIso(),
        plan,
        protectedOp,
      });
      result.drained = await drain(r.signal);
    }
    return result;
  }

  /** F1 plan of a whole case graph: every person on the cases is read. */
  async function planGraphF1(
    ctx: RunContext,
    cases: readonly Case[],
    /** People to load besides the cases' own (candidates for their parties without identifier). */
    also: Iterable<string> = [],
  ): Promise<{ plan: Plan; protectedOp: (op: ArchiveOperation) => boolean }> {
    const source = folkeregisterOf(ctx);
    const { records } = await readRecords(ctx, cases);
    const { identifiers, links } = await caseIdentifiers(ctx, cases, records);
    for (const id of also) identifiers.add(id);
    const people = await readPeople(ctx, source, identifiers);
    return planCasesF1(ctx, cases, people, links, records);
  }

  async function resolveConflict(
    id: number,
    decision: ResolveDecision,
    actor: string,
  ): Promise<ResolveResult> {
    const d = typeof decision === 'string' ? { resolution: decision } : decision;
    const conflict = await store.getConflict(id);
    if (conflict === undefined) {
      throw new ConflictError(`Conflict #${id} does not exist`, {
        code: 'conflict_unknown',
        system: 'engine',
      });
    }
    if (d.resolution === 'link' && !d.linkTo) {
      throw new ConfigError('A "link" resolution needs linkTo: the entity to link to', { key: 'linkTo' });
    }
    const ctx = createRunContext(
      base,
      conflict.flow === 'F2' ? 'F2' : conflict.flow === 'F6' ? 'F6' : 'F1',
      false,
      undefined,
    );
    // Work out the operation before recording the decision, so an impossible one changes nothing.
    const op =
      conflict.status === 'open' ? await operationFor(ctx, conflict, d.resolution, d.linkTo) : undefined;
    await store.resolveConflict(id, {
      resolution: d.resolution,
      by: actor,
      ...(d.note === undefined ? {} : { note: d.note }),
      ...(d.linkTo === undefined ? {} : { linkTo: d.linkTo }),
    });
    const { target, field } = parseConflictEntityKey(conflict.entityKey);
    const result: ResolveResult = { conflictId: id, resolution: d.resolution };
    if (
      (d.resolution === 'keep_local' || d.resolution === 'ignore') &&
      conflict.master !== PROTECTED_PLACEHOLDER
    ) {
      // B = local would make the next compare see "T = B ≠ M" and overwrite the kept value. So the
      // base becomes the master's value at decision time (T ≠ B = M: a local edit) and this exact
      // pair of sides is suppressed; a new master value (T ≠ B ≠ M) brings the question back.
      const values = [suppressionOf(conflict.conflictKey, conflict.master, conflict.target)];
      if (d.resolution === 'keep_local' && field !== undefined) {
        values.push({ system: 'noark', recordKey: target, field, value: conflict.master ?? null });
      }
      await store.setBase(values);
    }
    if (d.resolution === 'link' && conflict.entityType === 'party' && d.linkTo) {
      await store.link({
        entityType: 'person',
        canonicalId: d.linkTo,
        system: 'noark',
        systemId: target,
        reason: `Koblet av ${actor} (konflikt #${id})`,
      });
      await store.appendAudit({
        actor,
        action: 'identity.link',
        entity: target,
        before: null,
        after: { person: maskFodselsnummer(d.linkTo), how: 'admin' },
        reason: `Koblet av ${actor} (konflikt #${id})`,
      });
      const caseId = caseIdOfTarget(target);
      if (caseId) {
        await store.addReferences([
          {
            masterSystem: 'folkeregister',
            masterKey: d.linkTo,
            targetSystem: 'noark',
            targetKey: caseId,
            relation: 'party',
            flow: 'F1',
          },
        ]);
      }
    }
    if (op !== undefined) {
      const key = sha256Hex(canonicalJson({ conflict: id, key: op.idempotencyKey }));
      await store.enqueue([
        toOutboxInput({ ...op, idempotencyKey: key }, null, conflict.master === PROTECTED_PLACEHOLDER),
      ]);
      result.operationKey = key;
      result.drained = await drain();
    }
    return result;
  }

  /** The operation a take_master (or a class link) decision means, or undefined when none. */
  async function operationFor(
    ctx: RunContext,
    conflict: Conflict,
    resolution: string,
    linkTo: string | undefined,
  ): Promise<ArchiveOperation | undefined> {
    const { target, field } = parseConflictEntityKey(conflict.entityKey);
    const caseId = caseIdOfTarget(target);
    if (caseId === undefined) {
      if (resolution !== 'take_master') return undefined;
      throw new ConflictError(
        `Conflict #${conflict.id} concerns a journalpost party; the engine does not write it on request`,
        {
          code: 'take_master_impossible',
          system: 'engine',
          hint: 'Correct the korrespondansepart in the archive (if the journalpost allows it), then resolve with keep_local or ignore.',
        },
      );
    }
    const flow = conflict.flow as ArchiveOperation['flow'];
    const reasonBase = `Konflikt #${conflict.id} løst`;
    if (conflict.entityType === 'class' && resolution === 'link' && linkTo) {
      const c = await options.archive.get(caseId);
      const klass = c?.classes.find((k) =>
        target.endsWith(`/klasse/${k.systemId ?? `${k.system}:${k.classId}`}`),
      );
      if (!c || !klass)
        throw new ConflictError(`The class of conflict #${conflict.id} is no longer on the case`, {
          code: 'conflict_target_gone',
          system: 'engine',
        });
      const toKey = formatMatrikkelnummer(parseMatrikkelnummer(linkTo));
      return finalizeOperation({
        type: 'class.rekey',
        system: 'noark',
        target,
        flow,
        rule: `${flow}.resolve`,
        reason: `${reasonBase}: klassen pekes til ${toKey}`,
        caseSystemId: caseId,
        ...(klass.systemId ? { classSystemId: klass.systemId } : {}),
        from: klass.classId,
        to: toKey,
        fromKey: klass.classId,
        toKey,
      } satisfies OperationDraft) as ArchiveOperation;
    }
    if (resolution !== 'take_master') return undefined;
    if (
      conflict.entityType !== 'party' ||
      (field !== 'name' && field !== 'address' && field !== 'deceased')
    ) {
      throw new ConflictError(
        `Conflict #${conflict.id} (${conflict.rule}) has no single master value to take`,
        {
          code: 'take_master_impossible',
          system: 'engine',
          hint: 'Resolve it with link (choose the entity), keep_local or ignore.',
        },
      );
    }
    const c = await ctx.source('noark', 'reading the case of a conflict', () => options.archive.get(caseId));
    const slot = c ? partyTargetsOf(c).find((s) => s.target === target) : undefined;
    if (!c || !slot)
      throw new ConflictError(`The party of conflict #${conflict.id} is no longer in the archive`, {
        code: 'conflict_target_gone',
        system: 'engine',
      });
    const index = c.parties.indexOf(slot.party);
    const location = {
      container: 'saksmappe' as const,
      containerId: caseId,
      index,
      ...(slot.party.systemId ? { partySystemId: slot.party.systemId } : {}),
    };
    const version = slot.party.version === undefined ? {} : { expectedVersion: slot.party.version };
    let value = conflict.master;
    if (value === PROTECTED_PLACEHOLDER) {
      if (field === 'address') {
        return finalizeOperation({
          type: 'party.remove_address',
          system: 'noark',
          target,
          flow,
          rule: `${flow}.resolve`,
          reason: `${reasonBase}: adressebeskyttelse — kopiert adresse fjernes`,
          location,
          ...version,
        } satisfies OperationDraft) as ArchiveOperation;
      }
      const raw = conflict.rawEntityKey;
      const person = raw
        ? await ctx.source('folkeregister', 'reading the person of a conflict', () =>
            folkeregisterOf(ctx).get(raw),
          )
        : null;
      if (!person)
        throw new ConflictError(`Folkeregisteret no longer knows the person of conflict #${conflict.id}`, {
          code: 'conflict_target_gone',
          system: 'engine',
        });
      value = field === 'name' ? personName(person) : person.status === 'doed';
    }
    if (value === null || value === undefined) return undefined;
    const current =
      field === 'name'
        ? slot.party.name
        : field === 'address'
          ? (slot.party.address ?? null)
          : slot.party.deceased === true;
    return finalizeOperation({
      type: 'party.update',
      system: 'noark',
      target,
      flow,
      rule: `${flow}.resolve`,
      reason: `${reasonBase}: masterverdien tas inn`,
      location,
      set: { [field]: value },
      expected: { [field]: current },
      ...version,
    } as OperationDraft) as ArchiveOperation;
  }

  return {
    runFlow: (flow, run) => runFlow(flow, run),
    runFlows,
    reconcile,
    drainOutbox: (o = {}) => drain(o.signal),
    resolveConflict,
  };
}
