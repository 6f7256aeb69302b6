import type { QuarantineEntry } from '@registerbro/model';
import type { QuarantineInput } from './types.js';

/**
 * Turn an adapter's {@link QuarantineEntry} (from a `ChangePage`, `ScanPage` or `getMany`) into the
 * store's {@link QuarantineInput}: the error's code, its message and hint as the reason, and the
 * redacted excerpt an `UpstreamInvalidError` carries. The store redacts the text again on write.
 */
export function toQuarantineInput(source: string, entry: QuarantineEntry, runId?: number): QuarantineInput {
  const { error } = entry;
  const excerpt = (error as { excerpt?: unknown }).excerpt;
  return {
    source,
    recordType: entry.recordType,
    errorCode: error.code,
    reason: error.hint === undefined ? error.message : `${error.message} — ${error.hint}`,
    ...(entry.key === undefined ? {} : { key: entry.key }),
    ...(entry.rawKey === undefined ? {} : { rawKey: entry.rawKey }),
    ...(typeof excerpt === 'string' ? { excerpt } : {}),
    ...(runId === undefined ? {} : { runId }),
  };
}
