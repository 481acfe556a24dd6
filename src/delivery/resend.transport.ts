import { Resend } from 'resend';
import type { OutgoingEmail, SendOutcome, Transport } from './transport.js';

/**
 * The Transport on Resend's API through the official SDK. The SDK never throws: it answers
 * `{ data, error, headers }`, which this adapter turns into a typed outcome the send step acts on.
 * RESEND_BASE_URL, when set, is read by the SDK itself (tests point it at a local fake).
 */

export interface ResendTransportOptions {
  apiKey: string;
  baseUrl?: string;
  /** A call with no answer after this long counts as a network error (and is retried). @defaultValue 30000 */
  timeoutMs?: number;
}

type Failure = Extract<SendOutcome, { ok: false }>;

interface SdkError {
  statusCode: number | null;
  name: string;
  message: string;
}

export function createResendTransport(options: ResendTransportOptions): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    name: 'resend',
    async sendBatch(emails, idempotencyKey) {
      const { data, error, headers } = await resend.batch.send(emails.map(toSdk), {
        idempotencyKey,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) return classify(error as SdkError, headers);
      const ids = (data?.data ?? []).map((d) => d.id);
      if (ids.length !== emails.length) {
        return {
          ok: false,
          kind: 'transient',
          message: `Resend answered ${ids.length} ids for ${emails.length} emails`,
        };
      }
      return { ok: true, ids };
    },
    async send(email, idempotencyKey) {
      const { data, error, headers } = await resend.emails.send(toSdk(email), {
        idempotencyKey,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (error) return classify(error as SdkError, headers);
      return { ok: true, id: data?.id ?? '' };
    },
  };
}

function toSdk(email: OutgoingEmail) {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    replyTo: email.replyTo,
    headers: email.headers,
    tags: email.tags,
  };
}

/** 429 → wait and retry; 409 on a reused key → the first call was accepted; 5xx/network → retry; other 4xx → give up. */
export function classify(error: SdkError, headers: Record<string, string> | null): Failure {
  const status = error.statusCode;
  const message = `${error.name}: ${error.message}`;
  if (status === 429) {
    const retryAfter = Number(headers?.['retry-after']);
    return {
      ok: false,
      kind: 'rate_limited',
      message,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1,
    };
  }
  if (status === 409 && error.name === 'invalid_idempotent_request') {
    return { ok: false, kind: 'idempotency_conflict', message };
  }
  if (status === null || status >= 500 || status === 409) return { ok: false, kind: 'transient', message };
  return { ok: false, kind: 'permanent', message };
}
