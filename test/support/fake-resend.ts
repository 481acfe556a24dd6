import { isAscii } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Resend's sending API, as documented for POST /emails and POST /emails/batch
 * and as the `resend` SDK calls it (JSON, snake_case fields, `Authorization: Bearer`, the
 * `Idempotency-Key` and `x-batch-validation` headers). Point the SDK at it with RESEND_BASE_URL.
 *
 * Idempotency follows Resend: a key seen with the same body answers the first answer again and
 * sends nothing; a key seen with another body answers 409 invalid_idempotent_request; a key whose
 * first request is still running answers 409 concurrent_idempotent_requests. Only accepted requests
 * store their key, so a request that failed can be retried with the same key.
 */

export type FaultKind = '500' | '429' | 'timeout' | 'timeout-after-accept';

export interface AcceptedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  replyTo?: string | string[];
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  idempotencyKey?: string;
  receivedAt: Date;
}

export interface FakeResendOptions {
  apiKey?: string;
  /** Requests per second before 429s (any 1,000 ms window). 0: none. @defaultValue 0 */
  rateLimit?: number;
  /** Share of calls that fail with one of `faultKinds`, chosen at random. @defaultValue 0 */
  faultRate?: number;
  /** @defaultValue all four kinds */
  faultKinds?: FaultKind[];
  /** How long a "timeout" holds the request before dropping the connection. @defaultValue 10000 */
  hangMs?: number;
  /** Keep only ids and addresses of accepted emails (for benchmarks). @defaultValue false */
  lean?: boolean;
  /** Called after a request's emails are accepted, before the answer goes out (crash tests kill here). */
  onAccept?: ((count: number) => void) | undefined;
}

export interface FakeResend {
  url: string;
  apiKey: string;
  emails: AcceptedEmail[];
  /** Every request received, with its status (for counting faults and retries). */
  calls: { path: string; status: number | 'dropped'; count: number }[];
  /** When each request arrived and how it was answered. */
  arrivals: { at: number; status: number | 'dropped' }[];
  configure(options: Partial<FakeResendOptions>): void;
  /** The next `n` calls fail with this kind, ahead of any random faults. */
  failNext(kind: FaultKind, n?: number): void;
  emailsTo(address: string): AcceptedEmail[];
  close(): Promise<void>;
}

interface StoredKey {
  bodyHash: string;
  path: string;
  done: boolean;
  status?: number;
  response?: unknown;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const error = (statusCode: number, name: string, message: string): Answer => ({
  status: statusCode,
  body: { statusCode, name, message },
});

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const settings: Required<Omit<FakeResendOptions, 'onAccept'>> & Pick<FakeResendOptions, 'onAccept'> = {
    apiKey: 're_test_fake',
    rateLimit: 0,
    faultRate: 0,
    faultKinds: ['500', '429', 'timeout', 'timeout-after-accept'],
    hangMs: 10_000,
    lean: false,
    onAccept: undefined,
    ...options,
  };
  const emails: AcceptedEmail[] = [];
  const calls: FakeResend['calls'] = [];
  const arrivals: FakeResend['arrivals'] = [];
  const keys = new Map<string, StoredKey>();
  const queuedFaults: FaultKind[] = [];
  const hanging = new Set<http.ServerResponse>();
  /** Times of the requests counted against the rate limit in the last second (a sliding window). */
  let recent: number[] = [];

  const rateHeaders = (): Record<string, string> => {
    if (!settings.rateLimit) return {};
    return {
      'ratelimit-limit': String(settings.rateLimit),
      'ratelimit-remaining': String(Math.max(0, settings.rateLimit - recent.length)),
      'ratelimit-reset': '1',
    };
  };

  function takeFault(): FaultKind | undefined {
    if (queuedFaults.length) return queuedFaults.shift();
    if (settings.faultRate > 0 && Math.random() < settings.faultRate) {
      return settings.faultKinds[Math.floor(Math.random() * settings.faultKinds.length)];
    }
    return undefined;
  }

  function validate(path: string, body: unknown): Answer | Record<string, unknown>[] {
    const list = path === '/emails/batch' ? body : [body];
    if (!Array.isArray(list)) return error(422, 'validation_error', 'The batch must be an array of emails.');
    if (list.length === 0 || list.length > 100) {
      return error(422, 'validation_error', `A batch holds 1 to 100 emails; got ${list.length}.`);
    }
    for (const [i, raw] of list.entries()) {
      const at = path === '/emails/batch' ? ` (email ${i})` : '';
      if (typeof raw !== 'object' || raw === null)
        return error(422, 'validation_error', `Invalid email${at}.`);
      const e = raw as Record<string, unknown>;
      for (const field of ['from', 'to', 'subject'] as const) {
        if (e[field] === undefined || e[field] === '' || e[field] === null) {
          return error(422, 'missing_required_field', `Missing \`${field}\` field${at}.`);
        }
      }
      const to = Array.isArray(e.to) ? e.to : [e.to];
      if (to.length > 50) return error(422, 'validation_error', `Too many recipients${at}: at most 50.`);
      for (const address of to) {
        if (typeof address !== 'string' || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address.trim())) {
          return error(
            422,
            'validation_error',
            `Invalid \`to\` field${at}. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
          );
        }
      }
      if (e.html === undefined && e.text === undefined) {
        return error(422, 'validation_error', `Either \`html\` or \`text\` is required${at}.`);
      }
    }
    return list as Record<string, unknown>[];
  }

  function accept(list: Record<string, unknown>[], idempotencyKey: string | undefined): { id: string }[] {
    return list.map((e) => {
      const id = randomUUID();
      const to = (Array.isArray(e.to) ? e.to : [e.to]) as string[];
      emails.push(
        settings.lean
          ? ({
              id,
              to,
              subject: '',
              from: '',
              headers: {},
              tags: [],
              receivedAt: new Date(),
            } as AcceptedEmail)
          : {
              id,
              from: String(e.from),
              to,
              subject: String(e.subject),
              html: e.html as string | undefined,
              text: e.text as string | undefined,
              replyTo: e.reply_to as string | string[] | undefined,
              headers: (e.headers as Record<string, string>) ?? {},
              tags: (e.tags as { name: string; value: string }[]) ?? [],
              idempotencyKey,
              receivedAt: new Date(),
            },
      );
      return { id };
    });
  }

  function handle(
    path: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer,
    arrivedAt: number,
  ): Answer | FaultKind {
    if (path !== '/emails' && path !== '/emails/batch') return error(404, 'not_found', 'Route not found.');
    const auth = headers.authorization;
    if (!auth?.startsWith('Bearer '))
      return error(401, 'missing_api_key', 'Missing API key in the authorization header.');
    if (auth.slice(7) !== settings.apiKey) return error(403, 'invalid_api_key', 'API key is invalid.');

    // Counted when the request arrived, not when its (possibly large) body finished arriving.
    const now = arrivedAt;
    recent = recent.filter((t) => t > now - 1000);
    if (settings.rateLimit && recent.length >= settings.rateLimit) {
      return {
        ...error(
          429,
          'rate_limit_exceeded',
          `Too many requests. You can only make ${settings.rateLimit} requests per second.`,
        ),
        headers: { 'retry-after': '1' },
      };
    }
    recent.push(now);

    const fault = takeFault();
    if (fault === '500') return error(500, 'internal_server_error', 'An unexpected error occurred.');
    if (fault === '429') {
      return {
        ...error(429, 'rate_limit_exceeded', 'Too many requests.'),
        headers: { 'retry-after': '1' },
      };
    }
    if (fault === 'timeout') return 'timeout';

    // An ASCII body (what paperboy sends when the papers' text allows) decodes as Latin-1: the same
    // characters, without the UTF-8 decoder's cost on a 4 MB batch.
    const raw = isAscii(body) ? body.toString('latin1') : body.toString();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return error(422, 'validation_error', 'The request body is not valid JSON.');
    }
    const key = headers['idempotency-key'] as string | undefined;
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return error(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    }
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const seen = key === undefined ? undefined : keys.get(`${path} ${key}`);
    if (seen) {
      if (seen.bodyHash !== bodyHash) {
        return error(
          409,
          'invalid_idempotent_request',
          'Same idempotency key used with a different request payload.',
        );
      }
      if (!seen.done) {
        return error(
          409,
          'concurrent_idempotent_requests',
          'Same idempotency key used while original request is still in progress.',
        );
      }
      return { status: seen.status ?? 200, body: seen.response };
    }
    const checked = validate(path, parsed);
    if (!Array.isArray(checked)) return checked;
    const ids = accept(checked, key);
    settings.onAccept?.(ids.length);
    const response = path === '/emails/batch' ? { data: ids } : ids[0];
    if (key !== undefined) keys.set(`${path} ${key}`, { bodyHash, path, done: true, status: 200, response });
    if (fault === 'timeout-after-accept') return 'timeout-after-accept';
    return { status: 200, body: response };
  }

  const server = http.createServer((req, res) => {
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const answer =
        req.method === 'POST'
          ? handle(path, req.headers, Buffer.concat(chunks), arrivedAt)
          : error(405, 'method_not_allowed', 'Method not allowed.');
      const last = calls.at(-1);
      const status = typeof answer === 'string' ? 'dropped' : answer.status;
      arrivals.push({ at: arrivedAt, status });
      if (last && last.path === path && last.status === status) last.count++;
      else calls.push({ path, status, count: 1 });
      if (typeof answer === 'string') {
        hanging.add(res);
        setTimeout(() => {
          hanging.delete(res);
          res.socket?.destroy();
        }, settings.hangMs).unref();
        return;
      }
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        ...rateHeaders(),
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: settings.apiKey,
    emails,
    calls,
    arrivals,
    configure: (o) => Object.assign(settings, o),
    failNext: (kind, n = 1) => {
      for (let i = 0; i < n; i++) queuedFaults.push(kind);
    },
    emailsTo: (address) => emails.filter((e) => e.to.some((t) => t.toLowerCase() === address.toLowerCase())),
    close: async () => {
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
