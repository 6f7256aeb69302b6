import { RegisterbroError, type RegisterbroErrorOptions, type SystemName } from '@registerbro/model';

/** A run of the same flow for the same municipality holds the lock: this one did not start. */
export class FlowLockedError extends RegisterbroError {
  readonly flow: string;
  readonly holder: string | undefined;
  constructor(flow: string, holder: string | undefined, options: RegisterbroErrorOptions = {}) {
    super(
      'flow_locked',
      `Flow ${flow} is already running${holder ? ` (lock held by ${holder})` : ''}; this run did not start`,
      {
        system: 'engine',
        hint: 'Wait for the running run to finish, or for its lock to expire if that worker died.',
        retryable: true,
        ...options,
      },
    );
    this.name = 'FlowLockedError';
    this.flow = flow;
    this.holder = holder;
  }
}

/**
 * A register failed during a run — a source while reading, or the archive while the outbox was
 * applied: the run ends `degraded` and nothing past the last page moves (the outbox keeps what
 * was not applied).
 */
export class SourceFailedError extends RegisterbroError {
  readonly source: SystemName;
  constructor(source: SystemName, what: string, cause: unknown, hint?: string) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('source_failed', `${registerName(source)} failed while ${what}: ${detail}`, {
      system: source,
      cause,
      retryable: true,
      hint:
        hint ??
        `Nothing is lost: the cursor stays at the last completed page. Check ${registerName(source)}'s status, credentials and network, then run the flow again.`,
    });
    this.name = 'SourceFailedError';
    this.source = source;
  }
}

/** The human name of a register. */
export function registerName(system: SystemName): string {
  switch (system) {
    case 'folkeregister':
      return 'Folkeregisteret';
    case 'matrikkel':
      return 'Matrikkelen';
    case 'noark':
      return 'The archive (Noark)';
    default:
      return system;
  }
}
