/**
 * `@registerbro/sandbox` — the Folkeregister, Matrikkel and Noark simulators over one synthetic
 * testkit municipality, for `pnpm demo`, the end-to-end tests and local development.
 * @packageDocumentation
 */
export { SANDBOX_ENV_NAMES, countKinds, startSandbox, writeSandboxConfig } from './sandbox.js';
export type { Sandbox, SandboxOptions } from './sandbox.js';
