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
 * Resend's names, reply_to; keys in another order), encoded before the send slot. Left to the SDK,
 * a 4 MB batch is serialised and then, inside Node 20's fetch, copied by toWellFormed and encoded
 * by TextEncoder after the slot: 25 to 100 ms of CPU that lands the call at the provider that much
 * late, and unevenly, so calls paced exactly at the provider's rate bunched into 429s. Bytes go out
 * as they are. The SDK takes `body` from the request options over its own (its post() spreads them
 * last); the transport tests check that what arrives equals what batch.send posts, so an SDK
 * update that changes this fails them.
 *
 * The JSON is written in ASCII: a character beyond it (an author's "ü" in the text part) as a
 * \u escape, which any JSON reader turns back into the same character. The whole batch is then
 * one-byte text, copied into one buffer: V8 encodes a string holding a single wider character to
 * UTF-8 at a tenth of the speed of an ASCII one, and the digests' HTML is ASCII already.
 */
export async function encodeBatch(emails: OutgoingEmail[]): Promise<Uint8Array> {
  const parts: string[] = [];
  let length = 2;
  for (const [i, email] of emails.entries()) {
    // A few emails at a time: another batch's send slot may come due meanwhile.
    if (i > 0 && i % 10 === 0) await nextTurn();
    if (i > 0) parts.push(',');
    const { html, ...rest } = toApi(email);
    const head = asciiJson(rest);
    if (html === undefined) parts.push(head);
    else parts.push(head.slice(0, -1), ',"html":', asciiJson(html), '}');
  }
  for (const part of parts) length += part.length;
  const body = Buffer.allocUnsafeSlow(length);
  let at = body.write('[', 0, 'latin1');
  for (const part of parts) at += body.write(part, at, 'latin1');
  body.write(']', at, 'latin1');
  return body;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;

/** JSON.stringify with every character beyond ASCII as a \u escape (UTF-16 units, as JSON has them). */
function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
