import { describeAdapterConformance } from '@registerbro/testkit/conformance';
import { createReferenceHarness } from './reference-harness.js';

// The full suite against the reference adapter: every test must pass, none is opted out.
describeAdapterConformance(createReferenceHarness());

// The same register behind a read-only adapter: capabilities.apply is empty, so an operation must
// be refused with UnsupportedError and apply_idempotent is skipped at run time with that reason.
describeAdapterConformance(createReferenceHarness({ readOnly: true }));
