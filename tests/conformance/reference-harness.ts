import { type Person, PersonSchema } from '@registerbro/model';
import { generateMunicipality } from '@registerbro/testkit';
import type { ConformanceHarness, SampleOperation } from '@registerbro/testkit/conformance';
import { type RecordNoteOperation, type ReferenceBug, createReferenceAdapter } from './reference-adapter.js';
import { NoteArchive, ReferenceRegister } from './reference-register.js';

/** Options of {@link createReferenceHarness}. */
export interface ReferenceHarnessOptions {
  /** Deliberate defects, to prove the checks catch them. @default [] */
  bugs?: readonly ReferenceBug[];
  /** People in the register at the start, from testkit's synthetic municipality. @default 24 */
  people?: number;
  /** A read-only adapter (no operations, no sample operation). @default false */
  readOnly?: boolean;
}

/**
 * The conformance harness for the reference adapter: the pattern the real adapters follow with
 * their HTTP simulators. `bugs` builds a deliberately broken adapter for the checks' own tests.
 */
export function createReferenceHarness(
  options: ReferenceHarnessOptions = {},
): ConformanceHarness<Person, RecordNoteOperation> {
  const bugs = options.bugs ?? [];
  const readOnly = options.readOnly ?? false;
  return {
    name: `reference${readOnly ? ' (read-only)' : ''}${bugs.length > 0 ? ` (bugs: ${bugs.join(', ')})` : ''}`,
    schema: PersonSchema,
    keyOf: (person) => person.fodselsnummer,
    pageSize: 4,
    async setup() {
      const world = generateMunicipality({ seed: 'reference-conformance', people: options.people ?? 24 });
      const register = new ReferenceRegister({ world });
      // A real register has history before anyone follows it: head() is not the beginning.
      register.change(3);
      const archive = new NoteArchive();
      const make = () => createReferenceAdapter({ register, archive, bugs, maxBatchSize: 4, readOnly });
      const adapter = make();
      let notes = 0;
      const sampleOperation = (): SampleOperation<RecordNoteOperation> => {
        const target = register.keys()[0]!;
        const before = archive.writes.get(target) ?? 0;
        notes++;
        return {
          operation: { type: 'record_note', target, payload: { text: `conformance note ${notes}` } },
          // Counted in the archive itself, not through the adapter under test.
          verify: async () => (archive.writes.get(target) ?? 0) - before,
        };
      };
      return {
        adapter,
        createAdapter: make,
        knownKeys: () => register.keys(),
        unknownKey: register.unknownKey(),
        produceChanges: async (count) => register.change(count),
        inject: (fault) => register.inject(fault),
        clearFaults: () => register.clearFaults(),
        ...(readOnly ? {} : { sampleOperation }),
        async teardown() {
          await adapter.close?.();
          register.close();
        },
      };
    },
  };
}
