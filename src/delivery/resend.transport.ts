import { isAscii } from 'node:buffer';
import { subscribe } from 'node:diagnostics_channel';
import { type PostOptions, Resend } from 'resend';
import { asciiJson, escapeNonAscii } from '../ascii-json.js';
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
    batch(idempotencyKey) {
      // Each email's JSON, encoded as it is added, led by its separator; the closing bracket at send.
      const chunks: Buffer<ArrayBuffer>[] = [];
      let sealed = false;
      return {
        add(email) {
          if (sealed) throw new Error('resend transport: an email added to a batch already sent');
          chunks.push(encodeEmail(email, chunks.length === 0 ? '[' : ','));
        },
        async send(options) {
          if (!sealed) chunks.push(CLOSE);
          sealed = true;
          const count = chunks.length - 1;
          let length = 0;
          for (const chunk of chunks) length += chunk.length;
          await options?.beforeCall?.();
          const departed = options?.departed;
          const onLeft = () => departed?.(performance.now());
          if (departed) leaving.set(idempotencyKey, onLeft);
          // The SDK's own request (auth, user agent, Idempotency-Key, error answers) to the path its
          // batch.send posts to, with the body encoded here: see encodeEmail.
          const { data, error, headers } = await resend
            .post<{ data: { id: string }[] }>('/emails/batch', undefined, {
              idempotencyKey,
              // Sent as a stream, the body would otherwise go out chunked: its length, as a Buffer's would.
              headers: { 'x-batch-validation': 'strict', 'content-length': String(length) },
              signal: AbortSignal.timeout(timeoutMs),
              body: bodyStream(chunks),
              // Node's fetch requires this for a stream body, which could not be sent again to follow a
              // redirect; Resend's API does not redirect (one would be a transient error, retried).
              // With 'error' fetch also skips the copy of the request it makes to follow one.
              duplex: 'half',
              redirect: 'error',
            } as PostOptions)
            .finally(() => {
              if (leaving.get(idempotencyKey) === onLeft) leaving.delete(idempotencyKey);
            });
          if (error) return classify(error as SdkError, headers);
          const ids = (data?.data ?? []).map((d) => d.id);
          if (ids.length !== count) {
            return {
              ok: false,
              kind: 'transient',
              message: `Resend answered ${ids.length} ids for ${count} emails`,
            };
          }
          return { ok: true, ids };
        },
      };
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
 * One email of a batch as the bytes of the JSON `resend.batch.send` would post for it (the same
 * fields and values in Resend's names, reply_to; keys in another order): the batch is encoded before
 * its send slot. Left to the SDK, a 4 MB batch is serialised and then, inside Node 20's fetch,
 * copied by toWellFormed and encoded by TextEncoder after the slot: 25 to 100 ms of CPU that lands
 * the call at the provider that much late, and unevenly, so calls paced exactly at the provider's
 * rate bunched into 429s. Bytes go out as they are. The SDK takes `body` from the request options
 * over its own (its post() spreads them last); the transport tests check that what arrives equals
 * what batch.send posts, so an SDK update that changes this fails them.
 *
 * The JSON is written in ASCII: a character beyond it (an author's "ü" in the text part) as a
 * \u escape, which any JSON reader turns back into the same character. V8 encodes a string holding
 * a single wider character to UTF-8 at a tenth of the speed of an ASCII one; ASCII is copied as is.
 */
function encodeEmail(email: OutgoingEmail, separator: string): Buffer<ArrayBuffer> {
  const { html, text, ...rest } = toApi(email);
  const head = asciiJson(rest);
  // The renderer's JSON of the text and the HTML, while the email still carries them.
  const textJson = email.textJson?.of === text ? email.textJson.json : asciiJson(text);
  const pieces = [separator, head.slice(0, -1), ',"text":', textJson];
  if (html !== undefined) {
    pieces.push(',"html":', email.htmlJson?.of === html ? email.htmlJson.json : JSON.stringify(html));
  }
  pieces.push('}');
  // A digest's HTML is ASCII already (the renderer writes it so): checked on the bytes, which costs
  // a tenth of a search through the string; the rare other one is escaped and written again.
  return asciiBytes(pieces) ?? asciiBytes(pieces.map(escapeNonAscii))!;
}

/**
 * The batch's bytes as a stream, which fetch writes chunk by chunk as they are. A Buffer body is
 * copied whole before the request leaves (1 to 15 ms for 4 MB, which delays the call past its
 * slot), and a Blob is copied as it is made and again, piece by piece, as fetch reads it: about
 * 10 ms of CPU a batch, against 4 for this.
 */
function bodyStream(chunks: readonly Buffer<ArrayBuffer>[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

/**
 * Batch calls waiting for their request to leave, by idempotency key. Node's fetch (undici)
 * publishes each request as its headers are written to the socket.
 */
const leaving = new Map<string, () => void>();
subscribe('undici:client:sendHeaders', (message) => {
  const key = headerValue(
    (message as { request?: { headers?: unknown } }).request?.headers,
    'idempotency-key',
  );
  const departed = key === undefined ? undefined : leaving.get(key);
  if (departed) {
    leaving.delete(key!);
    departed();
  }
});

/** A header of an undici request, whose headers are a flat [name, value, …] list. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

const CLOSE = Buffer.from(']');

/**
 * The pieces one after the other in one buffer, or undefined when one holds a character beyond
 * ASCII. Written as UTF-8, which V8 writes from a one-byte string four times as fast as Latin-1,
 * and which is the same bytes when the text is ASCII: a wider character either makes bytes beyond
 * ASCII or, needing more room than its share, leaves the buffer short.
 */
function asciiBytes(pieces: string[]): Buffer<ArrayBuffer> | undefined {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const piece of pieces) at += out.write(piece, at, 'utf8');
  return at === length && isAscii(out) ? out : undefined;
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
