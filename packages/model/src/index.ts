/**
 * `@registerbro/model` — the shared data model: identifiers, canonical entities, the adapter
 * contract and the error hierarchy.
 * @packageDocumentation
 */
export * from './entities/index.js';
export * from './identifiers/index.js';
export {
  RegisterbroError,
  isRegisterbroError,
  hasErrorCode,
  ConfigError,
  AuthError,
  HttpError,
  RateLimitError,
  TimeoutError,
  CircuitOpenError,
  AbortedError,
  UpstreamInvalidError,
  UnsupportedError,
  ConflictError,
  InvalidIdentifierError,
  toRegisterbroError,
} from './errors.js';
export type { RegisterbroErrorOptions, SystemName, ValidationIssue } from './errors.js';
export { maskFodselsnummer, redactText } from './redact.js';
export { unsupported, quarantine, collectPages } from './contract.js';
export type {
  Adapter,
  ApplyOptions,
  ApplyResult,
  CallOptions,
  Capabilities,
  Change,
  ChangePage,
  ChangesOptions,
  CheckResult,
  DeleteChange,
  GetManyResult,
  Operation,
  QuarantineEntry,
  RekeyChange,
  ScanOptions,
  ScanPage,
  UpsertChange,
} from './contract.js';
