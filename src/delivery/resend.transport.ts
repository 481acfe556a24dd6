import { setImmediate as nextTurn } from 'node:timers/promises';
import { type PostOptions, Resend } from 'resend';
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
    async sendBatch(emails, idempotencyKey, options) {
      const body = await encodeBatch(emails);
      await options?.beforeCall?.();
      // The SDK's own request (auth, user agent, Idempotency-Key, error answers) to the path its
      // batch.send posts to, with the body encoded above: see encodeBatch.
      const { data, error, headers } = await resend.post<{ data: { id: string }[] }>(
        '/emails/batch',
        undefined,
        {
          idempotencyKey,
          headers: { 'x-batch-validation': 'strict' },
          signal: AbortSignal.timeout(timeoutMs),
          body,
        } as PostOptions,
      );
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

/**
 * The batch as the bytes of the JSON `resend.batch.send` would post (the same fields and values in
 * Resend's names, reply_to; keys in another order), encoded before the send slot. Left to the SDK, a 4 MB batch is serialised and
 * then, inside Node 20's fetch, copied by toWellFormed and encoded by TextEncoder after the slot:
 * 25 to 100 ms of CPU that lands the call at the provider that much late, and unevenly, so calls
 * paced exactly at the provider's rate bunched into 429s. Bytes go out as they are. The SDK takes
 * `body` from the request options over its own (its post() spreads them last); the transport
 * tests check that what arrives equals what batch.send posts, so an SDK update that changes this
 * fails them.
 *
 * Each email's HTML (nine tenths of the bytes, and ASCII as the renderer writes it) is encoded
 * apart from the rest: V8 encodes a string with a single non-ASCII character (an author's "ü" in
 * the text part) to UTF-8 at a tenth of the speed of an ASCII one, which was most of what
 * encoding a batch cost.
 */
export async function encodeBatch(emails: OutgoingEmail[]): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for (const [i, email] of emails.entries()) {
    // A few emails at a time: another batch's send slot may come due meanwhile.
    if (i > 0 && i % 10 === 0) await nextTurn();
    const { html, ...rest } = toApi(email);
    const head = JSON.stringify(rest);
    parts.push(bytes(i === 0 ? '[' : ','));
    if (html === undefined) parts.push(bytes(head));
    else parts.push(bytes(`${head.slice(0, -1)},"html":`), bytes(JSON.stringify(html)), bytes('}'));
  }
  parts.push(bytes(']'));
  return Buffer.concat(parts);
}

const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 bytes; an ASCII string takes the Latin-1 encoder, which is a plain copy. */
function bytes(text: string): Buffer {
  return Buffer.from(text, NON_ASCII.test(text) ? 'utf8' : 'latin1');
}

/** The email in the API's own names, as the SDK posts it. */
function toApi(email: OutgoingEmail) {
  const { replyTo, ...rest } = toSdk(email);
  return { ...rest, reply_to: replyTo };
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
