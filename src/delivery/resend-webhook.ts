import { Webhook } from 'standardwebhooks';

/**
 * Resend signs its webhooks the way Svix does (the Standard Webhooks scheme): HMAC-SHA256 over
 * `<svix-id>.<svix-timestamp>.<raw body>` with the `whsec_…` secret, accepted within 5 minutes of
 * the timestamp. The body must be the bytes that arrived: parsing and re-serialising it first
 * changes them and the signature no longer matches.
 */

/** A Resend event as far as paperboy reads it; everything else stays in the stored payload. */
export interface ResendEvent {
  type: string;
  created_at?: unknown;
  data?: Record<string, unknown>;
}

export type Verification =
  | { ok: true; svixId: string; event: ResendEvent }
  | { ok: false; status: 400 | 401; reason: string };

const HEADERS = ['svix-id', 'svix-timestamp', 'svix-signature'] as const;

export type WebhookVerifier = (body: string, headers: Record<string, unknown>) => Verification;

/** Builds the verifier once (decoding the secret), then checks each request against it. */
export function resendWebhookVerifier(secret: string): WebhookVerifier {
  const webhook = new Webhook(secret);
  return (body, headers) => {
    const values: Record<string, string> = {};
    for (const name of HEADERS) {
      const value = headers[name];
      if (typeof value !== 'string' || value === '') {
        return { ok: false, status: 400, reason: `missing ${name} header` };
      }
      values[name] = value;
    }
    if (!/^\d{1,12}$/.test(values['svix-timestamp']!)) {
      return { ok: false, status: 400, reason: 'svix-timestamp must be Unix seconds' };
    }
    try {
      webhook.verify(
        body,
        {
          'webhook-id': values['svix-id']!,
          'webhook-timestamp': values['svix-timestamp']!,
          'webhook-signature': values['svix-signature']!,
        },
        { jsonParse: false },
      );
    } catch (error) {
      return { ok: false, status: 401, reason: refusal(error) };
    }
    if (body.includes('\\u0000')) {
      return { ok: false, status: 400, reason: 'payload contains \\u0000, which PostgreSQL cannot store' };
    }
    let event: unknown;
    try {
      event = JSON.parse(body);
    } catch {
      return { ok: false, status: 400, reason: 'body is not valid JSON' };
    }
    if (!isRecord(event) || typeof event.type !== 'string' || event.type === '') {
      return { ok: false, status: 400, reason: 'payload has no "type"' };
    }
    if (event.data !== undefined && !isRecord(event.data)) {
      return { ok: false, status: 400, reason: 'payload "data" is not an object' };
    }
    return { ok: true, svixId: values['svix-id']!, event: event as unknown as ResendEvent };
  };
}

function refusal(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/too old/i.test(message)) return 'svix-timestamp is more than 5 minutes old';
  if (/too new/i.test(message)) return 'svix-timestamp is more than 5 minutes in the future';
  return 'signature does not match (wrong secret, or the body was changed on the way)';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
