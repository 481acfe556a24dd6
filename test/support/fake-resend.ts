import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, error, inlineProcessor, threadedProcessor } from './fake-resend-body.js';

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
  /**
   * Read bodies in a worker thread, so the time a request arrived (what the rate limit counts) is
   * noted on time even while another large body is being parsed (for benchmarks). @defaultValue false
   */
  threaded?: boolean;
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
  /** The latest request as it arrived (not kept when lean). */
  lastRequest?: { path: string; headers: http.IncomingHttpHeaders; body: Buffer };
  configure(options: Partial<FakeResendOptions>): void;
  /** The next `n` calls fail with this kind, ahead of any random faults. */
  failNext(kind: FaultKind, n?: number): void;
  emailsTo(address: string): AcceptedEmail[];
  close(): Promise<void>;
}

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const settings: Required<Omit<FakeResendOptions, 'onAccept'>> & Pick<FakeResendOptions, 'onAccept'> = {
    apiKey: 're_test_fake',
    rateLimit: 0,
    faultRate: 0,
    faultKinds: ['500', '429', 'timeout', 'timeout-after-accept'],
    hangMs: 10_000,
    lean: false,
    threaded: false,
    onAccept: undefined,
    ...options,
  };
  const emails: AcceptedEmail[] = [];
  const calls: FakeResend['calls'] = [];
  const arrivals: FakeResend['arrivals'] = [];
  const processor = settings.threaded ? threadedProcessor(settings.lean) : inlineProcessor(settings.lean);
  const queuedFaults: FaultKind[] = [];
  const hanging = new Set<http.ServerResponse>();
  const received = reusedBuffer();
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

  async function handle(
    path: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer,
    arrivedAt: number,
  ): Promise<Answer | FaultKind> {
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

    const processed = await processor.process(path, headers['idempotency-key'] as string | undefined, body);
    if (processed.accepted.length === 0) return processed.answer;
    emails.push(...processed.accepted);
    settings.onAccept?.(processed.accepted.length);
    return fault === 'timeout-after-accept' ? 'timeout-after-accept' : processed.answer;
  }

  const server = http.createServer((req, res) => {
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      // A reading thread would be sent a copy of the whole buffer: it gets a body of its own.
      const body = settings.lean && !settings.threaded ? received.hold(chunks) : Buffer.concat(chunks);
      if (!settings.lean) fake.lastRequest = { path, headers: req.headers, body };
      const answer =
        req.method === 'POST'
          ? await handle(path, req.headers, body, arrivedAt)
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

  const fake: FakeResend = {
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
      await processor.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/**
 * One buffer that bodies are copied into, request after request, for a lean fake reading bodies in
 * the server's thread (it keeps none): a new 4 MB buffer per batch costs more in page faults than the
 * copy. A body is read to the end (parsed and hashed) before the next one is held.
 */
function reusedBuffer(): { hold(chunks: Buffer[]): Buffer } {
  let buffer = Buffer.alloc(0);
  return {
    hold(chunks) {
      let length = 0;
      for (const c of chunks) length += c.length;
      if (buffer.length < length) buffer = Buffer.allocUnsafeSlow(Math.max(length, buffer.length * 2));
      let at = 0;
      for (const c of chunks) at += c.copy(buffer, at);
      return buffer.subarray(0, length);
    },
  };
}
