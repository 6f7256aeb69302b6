import { RegisterbroError, UpstreamInvalidError } from '@registerbro/model';
import { type AuthProvider, type HttpClientOptions, createHttpClient } from '@registerbro/transport';
import { z } from 'zod';

/**
 * How Fiks Arkiv messages travel. In production that is Fiks IO (asynchronous, at-least-once,
 * encrypted, AMQP push): wrap the Fiks IO client in this interface, buffering the replies it
 * pushes per `svarPaaMeldingId`. The simulator speaks {@link createHttpFiksArkivTransport}.
 */
export interface FiksArkivTransport {
  /**
   * Send one message. `klientMeldingId` must be the same on every retry of the same logical
   * message so the receiver drops duplicates. Resolves with Fiks IO's `meldingId`.
   */
  send(message: FiksArkivOutgoing, options?: { signal?: AbortSignal }): Promise<{ meldingId: string }>;
  /** The replies received so far to a sent message, oldest first. */
  replies(meldingId: string, options?: { signal?: AbortSignal }): Promise<FiksArkivReply[]>;
  close?(): void | Promise<void>;
}

/** A message to send. */
export interface FiksArkivOutgoing {
  meldingstype: string;
  klientMeldingId: string;
  /** The XML payload (`arkivmelding.xml`, `sok.xml`, …). */
  payload: string;
  /** Our idempotency key, passed along for logging by receivers that record it (the simulator). */
  idempotencyKey?: string;
}

/** A reply to a sent message. */
export interface FiksArkivReply {
  meldingId: string;
  meldingstype: string;
  svarPaaMeldingId: string;
  /** XML payload; absent for payload-less replies (mottatt, oppdater.kvittering). */
  payload?: string;
}

const SendWireSchema = z.object({ meldingId: z.string(), duplikat: z.boolean().optional() });
const RepliesWireSchema = z.object({
  svar: z.array(
    z.object({
      meldingId: z.string(),
      meldingstype: z.string(),
      svarPaaMeldingId: z.string(),
      payload: z.string().optional(),
    }),
  ),
  ferdig: z.boolean().optional(),
});

/** Options of {@link createHttpFiksArkivTransport}. */
export interface HttpFiksArkivTransportOptions {
  /** The endpoint root, e.g. the simulator's `fiksBaseURL`. */
  baseURL: string;
  auth?: AuthProvider;
  /** Passed to the HTTP client (timeouts, retries, rate limit). */
  http?: Partial<Omit<HttpClientOptions, 'baseURL' | 'system' | 'auth'>>;
}

/**
 * A Fiks Arkiv transport over plain HTTP (`POST /meldinger` → 202; `GET /meldinger/{id}/svar`),
 * as the simulator offers it. POSTs are retried safely: the receiver drops a repeated
 * `klientMeldingId`.
 */
export function createHttpFiksArkivTransport(options: HttpFiksArkivTransportOptions): FiksArkivTransport {
  const http = createHttpClient({
    system: 'noark',
    ...options.http,
    baseURL: options.baseURL,
    ...(options.auth ? { auth: options.auth } : {}),
  });
  return {
    async send(message, o = {}) {
      const res = await http.request({
        method: 'POST',
        path: '/meldinger',
        headers: {
          'content-type': 'application/xml; charset=utf-8',
          'x-fiks-meldingstype': message.meldingstype,
          'x-fiks-klientmeldingid': message.klientMeldingId,
          ...(message.idempotencyKey ? { 'x-idempotency-key': message.idempotencyKey } : {}),
        },
        body: message.payload,
        // Safe to retry: a repeated klientMeldingId is dropped by the receiver.
        idempotent: true,
        ...(o.signal ? { signal: o.signal } : {}),
        record: message.meldingstype,
      });
      const parsed = SendWireSchema.safeParse(res.json());
      if (!parsed.success) {
        throw new UpstreamInvalidError('Fiks Arkiv: the send receipt is not {meldingId}', {
          system: 'noark',
          record: message.meldingstype,
        });
      }
      return { meldingId: parsed.data.meldingId };
    },
    async replies(meldingId, o = {}) {
      const res = await http.request({
        method: 'GET',
        path: `/meldinger/${encodeURIComponent(meldingId)}/svar`,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const parsed = RepliesWireSchema.safeParse(res.json());
      if (!parsed.success) {
        throw new UpstreamInvalidError('Fiks Arkiv: the reply list is not {svar: [...]}', {
          system: 'noark',
          record: meldingId,
        });
      }
      return parsed.data.svar.map((s) => ({
        meldingId: s.meldingId,
        meldingstype: s.meldingstype,
        svarPaaMeldingId: s.svarPaaMeldingId,
        ...(s.payload === undefined ? {} : { payload: s.payload }),
      }));
    },
    close() {
      http.close();
    },
  };
}

/** The error a Fiks Arkiv error reply becomes. */
export function fiksReplyError(type: string, feilmelding: string, record: string): RegisterbroError {
  if (type.endsWith('ikkefunnet')) {
    return new RegisterbroError('not_found', `Fiks Arkiv: ${record} was not found: ${feilmelding}`, {
      system: 'noark',
      record,
    });
  }
  if (type.endsWith('serverfeil')) {
    return new RegisterbroError(
      'fiks_serverfeil',
      `Fiks Arkiv: the archive failed on ${record}: ${feilmelding}`,
      {
        system: 'noark',
        record,
        retryable: true,
        hint: 'The archive reported an internal error; retry later with the same klientMeldingId.',
      },
    );
  }
  return new RegisterbroError(
    'fiks_ugyldig_forespoersel',
    `Fiks Arkiv: the archive refused ${record}: ${feilmelding}`,
    {
      system: 'noark',
      record,
      hint: 'The message was invalid for the archive; fix the data before sending it again.',
    },
  );
}
