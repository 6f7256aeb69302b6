/**
 * `@registerbro/folkeregister/simulator` — a Folkeregisteret simulator for tests and the sandbox:
 * a real HTTP server speaking the v1 REST API, fed from a testkit World.
 * @packageDocumentation
 */
export { createFolkeregisterSimulator } from './simulator.js';
export type { FolkeregisterSimulator, FolkeregisterSimulatorOptions } from './simulator.js';
export { renderPerson, graderingOf } from './render-person.js';
export type { RenderedPerson } from './render-person.js';
export { EventLog, HENDELSESTYPE_BY_CHANGE } from './events.js';
export type { SimEvent } from './events.js';
export { handleTokenRequest } from './maskinporten.js';
export type { IssuedToken, MaskinportenSimOptions } from './maskinporten.js';
