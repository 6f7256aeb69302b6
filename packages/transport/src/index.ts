/**
 * `@registerbro/transport` — what every Registerbro adapter needs to talk to a real register: a
 * resilient HTTP client, a safe XML/SOAP codec, Maskinporten tokens and a redacting logger.
 * @packageDocumentation
 */
export { abortable, abortedError, chunk, mapLimit, sleep, throwIfAborted } from './async.js';
export type { AbortContext, AbortableOptions, MapLimitOptions } from './async.js';
export { basicAuth, bearerAuth } from './auth.js';
export { runCheck } from './check.js';
export type { RunCheckOptions } from './check.js';
export type { AuthProvider, TokenProvider } from './auth.js';
export {
  createHttpClient,
  parseRetryAfter,
  backoffDelay,
  buildUrl,
  redactUrl,
  resetSharedHttpState,
} from './http-client.js';
export type {
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  QueryValue,
} from './http-client.js';
export { XmlError, parseXml, buildXml, escapeXml } from './xml.js';
export type { BuildXmlOptions, ParseXmlOptions, XmlErrorCode } from './xml.js';
export {
  SOAP_NAMESPACES,
  SoapFaultError,
  buildSoapEnvelope,
  isSoapFaultError,
  parseSoapEnvelope,
  soapContentType,
  soapHeaders,
} from './soap.js';
export type { BuildSoapEnvelopeOptions, SoapEnvelope, SoapVersion } from './soap.js';
export { createMaskinportenTokenProvider } from './maskinporten.js';
export type { MaskinportenKey, MaskinportenOptions } from './maskinporten.js';
export { createLogger, LOG_REDACT_PATHS, redactLogValue } from './logger.js';
export type { Logger, LoggerOptions } from './logger.js';
