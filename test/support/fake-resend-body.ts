import { isAscii } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AcceptedEmail } from './fake-resend.js';

/**
 * The part of the fake Resend that reads a request's body: JSON, idempotency, validation, the
 * accepted emails. It runs in the server's thread, or (`threaded`, for benchmarks) in a worker
 * thread of its own, so parsing one 4 MB batch never holds up the server noting when the next
 * request arrived, which its rate limit is counted by.
 */

export type Answer = { status: number; body: unknown; headers?: Record<string, string> };

export const error = (statusCode: number, name: string, message: string): Answer => ({
  status: statusCode,
  body: { statusCode, name, message },
});

interface StoredKey {
  bodyHash: string;
  path: string;
  done: boolean;
  status?: number;
  response?: unknown;
}

export interface Processed {
  answer: Answer;
  accepted: AcceptedEmail[];
}

export interface BodyProcessor {
  process(path: string, key: string | undefined, body: Buffer): Promise<Processed>;
  close(): Promise<void>;
}

export function validate(path: string, body: unknown): Answer | Record<string, unknown>[] {
  const list = path === '/emails/batch' ? body : [body];
  if (!Array.isArray(list)) return error(422, 'validation_error', 'The batch must be an array of emails.');
  if (list.length === 0 || list.length > 100) {
    return error(422, 'validation_error', `A batch holds 1 to 100 emails; got ${list.length}.`);
  }
  for (const [i, raw] of list.entries()) {
    const at = path === '/emails/batch' ? ` (email ${i})` : '';
    if (typeof raw !== 'object' || raw === null) return error(422, 'validation_error', `Invalid email${at}.`);
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

/** What a lean record shares with every other: a bench keeps 100,000 of them. */
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_TAGS: { name: string; value: string }[] = Object.freeze([]) as unknown as {
  name: string;
  value: string;
}[];

function acceptedEmail(
  e: Record<string, unknown>,
  idempotencyKey: string | undefined,
  lean: boolean,
  receivedAt: Date,
): AcceptedEmail {
  const id = randomUUID();
  const to = (Array.isArray(e.to) ? e.to : [e.to]) as string[];
  if (lean) return { id, to, subject: '', from: '', headers: NO_HEADERS, tags: NO_TAGS, receivedAt };
  return {
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
    receivedAt,
  };
}

/** Reads bodies in this thread. `lean`: keep only ids and addresses of accepted emails. */
export function bodyReader(
  lean: boolean,
): (path: string, key: string | undefined, body: Buffer) => Processed {
  const keys = new Map<string, StoredKey>();
  const refuse = (status: number, name: string, message: string): Processed => ({
    answer: error(status, name, message),
    accepted: [],
  });
  return (path, key, body) => {
    // An ASCII body (what paperboy sends when the papers' text allows) decodes as Latin-1: the same
    // characters, without the UTF-8 decoder's cost on a 4 MB batch.
    const raw = isAscii(body) ? body.toString('latin1') : body.toString();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return refuse(422, 'validation_error', 'The request body is not valid JSON.');
    }
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return refuse(400, 'invalid_idempotency_key', 'The key must be between 1-256 chars.');
    }
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const seen = key === undefined ? undefined : keys.get(`${path} ${key}`);
    if (seen) {
      if (seen.bodyHash !== bodyHash) {
        return refuse(
          409,
          'invalid_idempotent_request',
          'Same idempotency key used with a different request payload.',
        );
      }
      if (!seen.done) {
        return refuse(
          409,
          'concurrent_idempotent_requests',
          'Same idempotency key used while original request is still in progress.',
        );
      }
      return { answer: { status: seen.status ?? 200, body: seen.response }, accepted: [] };
    }
    const checked = validate(path, parsed);
    if (!Array.isArray(checked)) return { answer: checked, accepted: [] };
    const receivedAt = new Date();
    const accepted = checked.map((e) => acceptedEmail(e, key, lean, receivedAt));
    const ids = accepted.map((e) => ({ id: e.id }));
    const response = path === '/emails/batch' ? { data: ids } : ids[0];
    if (key !== undefined) keys.set(`${path} ${key}`, { bodyHash, path, done: true, status: 200, response });
    return { answer: { status: 200, body: response }, accepted };
  };
}

export function inlineProcessor(lean: boolean): BodyProcessor {
  const read = bodyReader(lean);
  return { process: async (path, key, body) => read(path, key, body), close: async () => {} };
}

export function threadedProcessor(lean: boolean): BodyProcessor {
  const worker = new Worker(new URL('./fake-resend.worker.mjs', import.meta.url), { workerData: { lean } });
  worker.unref();
  let next = 0;
  const waiting = new Map<number, (p: Processed) => void>();
  worker.on('message', ({ id, processed }: { id: number; processed: Processed }) => {
    waiting.get(id)?.(processed);
    waiting.delete(id);
  });
  // A thread that dies answers every waiting request with a 500 rather than leaving it hanging.
  worker.on('error', (err) => {
    for (const answer of waiting.values()) {
      answer({ answer: error(500, 'internal_server_error', `fake: ${err.message}`), accepted: [] });
    }
    waiting.clear();
  });
  return {
    process: (path, key, body) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        worker.postMessage({ id, path, key, body });
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

// Inside the worker thread: answer each body posted by threadedProcessor.
if (!isMainThread && parentPort) {
  const read = bodyReader((workerData as { lean: boolean }).lean);
  const port = parentPort;
  port.on(
    'message',
    ({ id, path, key, body }: { id: number; path: string; key?: string; body: Uint8Array }) => {
      port.postMessage({
        id,
        processed: read(path, key, Buffer.from(body.buffer, body.byteOffset, body.byteLength)),
      });
    },
  );
}
