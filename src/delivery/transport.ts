/**
 * The port where email leaves paperboy. Implementations: Resend (resend.transport.ts) and the
 * outbox folder (outbox.transport.ts). Services depend on this interface only.
 */

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html?: string;
  /**
   * The JSON string (quotes included) of the HTML `of`, when the renderer has it
   * (RenderedEmail.htmlJson): a transport that posts JSON writes it as it is rather than escaping
   * 30 KB of HTML again, as long as `of` is still this email's `html`.
   */
  htmlJson?: { of: string; json: string };
  text: string;
  /** The same for `text`, in ASCII (wider characters as \u escapes). */
  textJson?: { of: string; json: string };
  replyTo?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>;
  /** Resend tags (name/value: ASCII letters, numbers, underscores, dashes). */
  tags: { name: string; value: string }[];
}

export type SendOutcome =
  | { ok: true; id: string }
  | {
      ok: false;
      /**
       * permanent: do not retry (invalid address, validation error); transient: retry with backoff;
       * idempotency_conflict: the key was already used with another body, so an earlier call under
       * it was accepted (Resend keeps keys 24 h) and must not be sent again.
       */
      kind: 'permanent' | 'transient' | 'rate_limited' | 'idempotency_conflict';
      message: string;
      /** Seconds to wait before trying again, from retry-after on a 429. */
      retryAfterSeconds?: number;
    };

export interface SendBatchOptions {
  /**
   * Awaited just before the provider call, once everything that can be done ahead of it (encoding
   * the batch) is done: the send pacer's slot, so the call reaches the provider on time.
   */
  beforeCall?: () => Promise<void>;
  /**
   * Told when the request actually left (its headers written to the socket; `performance.now()`),
   * when the transport can see it: the pacer reckons later calls from then.
   */
  departed?: (at: number) => void;
}

export type BatchOutcome = { ok: true; ids: string[] } | Extract<SendOutcome, { ok: false }>;

/**
 * One batch call being put together. Emails are added as they are rendered: a transport may encode
 * each at once and keep only its bytes, so a digest's strings are garbage before the next one is
 * rendered (kept for the whole batch, they outlived the young generation and filled the old one,
 * which then needed a full collection about twice a second).
 */
export interface OutgoingBatch {
  add(email: OutgoingEmail): void;
  /**
   * Sends what was added (up to 100 emails) as one call. The idempotency key makes a retried call
   * with the same emails a no-op at the provider. Returns one id per email, in order, or one
   * failure for the batch.
   */
  send(options?: SendBatchOptions): Promise<BatchOutcome>;
}

export interface Transport {
  readonly name: string;
  /** A batch to send under `idempotencyKey` (see OutgoingBatch). */
  batch(idempotencyKey: string): OutgoingBatch;
  send(email: OutgoingEmail, idempotencyKey?: string): Promise<SendOutcome>;
}

/** A batch that keeps its emails and hands them all to `send` (for transports with nothing to encode). */
export function collectingBatch(
  send: (emails: OutgoingEmail[], options?: SendBatchOptions) => Promise<BatchOutcome>,
): OutgoingBatch {
  const emails: OutgoingEmail[] = [];
  return { add: (email) => void emails.push(email), send: (options) => send(emails, options) };
}

/** Sends `emails` as one batch call. */
export function sendEmails(
  transport: Transport,
  emails: OutgoingEmail[],
  idempotencyKey: string,
  options?: SendBatchOptions,
): Promise<BatchOutcome> {
  const batch = transport.batch(idempotencyKey);
  for (const email of emails) batch.add(email);
  return batch.send(options);
}
