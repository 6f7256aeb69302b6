import { type CheckResult, type SystemName, toRegisterbroError } from '@registerbro/model';

/** Options of {@link runCheck}. */
export interface RunCheckOptions {
  /**
   * The `detail` of a failed check (the endpoint that failed, say); a successful check takes its
   * detail from the probe.
   * @default undefined (no detail on failure)
   */
  failureDetail?: string;
}

/**
 * An adapter's `check()`: run one cheap `probe` against the register and time it. Resolves to
 * `ok: true` with the probe's answer as `detail`, or to `ok: false` with the failure as a
 * `RegisterbroError` of `system` — it never rejects, so a health endpoint can call every adapter.
 */
export async function runCheck(
  system: SystemName,
  probe: () => Promise<string | undefined>,
  options: RunCheckOptions = {},
): Promise<CheckResult> {
  const start = performance.now();
  try {
    const detail = await probe();
    return {
      ok: true,
      system,
      latencyMs: performance.now() - start,
      ...(detail === undefined ? {} : { detail }),
    };
  } catch (error) {
    return {
      ok: false,
      system,
      latencyMs: performance.now() - start,
      ...(options.failureDetail === undefined ? {} : { detail: options.failureDetail }),
      error: toRegisterbroError(error, system),
    };
  }
}
