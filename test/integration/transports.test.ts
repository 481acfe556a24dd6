import { isAscii } from 'node:buffer';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Resend } from 'resend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxTransport } from '../../src/delivery/outbox.transport.js';
import { createResendTransport } from '../../src/delivery/resend.transport.js';
import { type OutgoingEmail, sendEmails } from '../../src/delivery/transport.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';

const email = (to: string, subject = 'Papers for 2026-11-26'): OutgoingEmail => ({
  from: 'paperboy <digest@paperboy.test>',
  to,
  subject,
  html: '<p>hello</p>',
  text: 'hello',
  headers: {
    'List-Unsubscribe':
      '<http://paperboy.test/unsubscribe/t>, <mailto:unsubscribe@paperboy.test?subject=unsubscribe>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  tags: [
    { name: 'edition', value: '2026-11-26' },
    { name: 'template', value: 'classic' },
  ],
});

describe('Resend transport against the fake Resend API', () => {
  let fake: FakeResend;
  beforeAll(async () => {
    fake = await startFakeResend({ hangMs: 3000 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.emails.length = 0;
    fake.configure({ rateLimit: 0, faultRate: 0 });
  });
  const transport = () => createResendTransport({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs: 500 });

  it('sends a batch through the SDK with headers and tags, and returns one id per email', async () => {
    const result = await sendEmails(transport(), [email('a@example.com'), email('b@example.com')], 'k-1');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ids).toHaveLength(2);
    expect(fake.emails.map((e) => e.id)).toEqual(result.ids);
    const sent = fake.emailsTo('a@example.com')[0]!;
    expect(sent.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(sent.headers['List-Unsubscribe']).toMatch(/^<http:\/\/paperboy\.test\/unsubscribe\/t>, <mailto:/);
    expect(sent.tags).toContainEqual({ name: 'edition', value: '2026-11-26' });
    expect(sent.idempotencyKey).toBe('k-1');
  });

  it('posts what the batch.send of the SDK posts, with the same headers', async () => {
    const unicode = {
      ...email('u@example.com', 'Papers \u2014 \u{1F680} \u201Cquoted\u201D'),
      text: 'na\u00EFve caf\u00E9 \u5927\u89C4\u6A21 \u{1F469}\u200D\u{1F52C}',
      // Not what the renderer writes (its HTML is ASCII), but what a caller may pass.
      html: '<p>Caf\u00E9 \u{1F680} \u5927</p>',
      replyTo: 'editor@paperboy.test',
    };
    const batch = [email('a@example.com'), unicode];
    const received = async (send: () => Promise<unknown>) => {
      fake.emails.length = 0;
      await send();
      const emails = fake.emails.map(({ id: _id, receivedAt: _at, idempotencyKey: _key, ...rest }) => rest);
      return { emails, request: fake.lastRequest! };
    };
    const ours = await received(() => sendEmails(transport(), batch, 'k-sdk-1'));
    const sdk = new Resend(fake.apiKey, { baseUrl: fake.url });
    const theirs = await received(() => sdk.batch.send(batch, { idempotencyKey: 'k-sdk-2' }));
    expect(ours.emails).toHaveLength(2);
    expect(ours.emails).toEqual(theirs.emails);
    expect(ours.emails[1]).toMatchObject({
      subject: unicode.subject,
      text: unicode.text,
      replyTo: unicode.replyTo,
      html: unicode.html,
    });
    expect(ours.request.path).toBe('/emails/batch');
    for (const name of ['authorization', 'content-type', 'user-agent', 'x-batch-validation']) {
      expect(ours.request.headers[name], name).toBe(theirs.request.headers[name]);
    }
    expect(ours.request.headers['idempotency-key']).toBe('k-sdk-1');
    expect(JSON.parse(ours.request.body.toString())).toEqual(JSON.parse(theirs.request.body.toString()));
    // Ours is written in ASCII, each wider character a \u escape, with its length (not chunked).
    expect(isAscii(ours.request.body)).toBe(true);
    expect(ours.request.body.toString()).toContain('na\\u00efve');
    expect(ours.request.headers['content-length']).toBe(String(ours.request.body.length));
    expect(ours.request.headers['transfer-encoding']).toBeUndefined();
  });

  it("writes the renderer's JSON of the HTML and text while the email still carries them", async () => {
    const html = '<p class="x">hello</p>';
    // Valid JSON for the same HTML, escaped differently than JSON.stringify would, to be told apart.
    const json = '"\\u003cp class=\\"x\\">hello\\u003c/p>"';
    expect(JSON.parse(json)).toBe(html);
    const text = 'hello "you"';
    const textJson = '"hello \\u0022you\\u0022"';
    expect(JSON.parse(textJson)).toBe(text);
    const rendered = {
      ...email('a@example.com'),
      html,
      htmlJson: { of: html, json },
      text,
      textJson: { of: text, json: textJson },
    };
    // Changed after rendering: the JSON no longer belongs to this HTML and text, and is not used.
    const changed = { ...rendered, to: 'b@example.com', html: '<p>changed</p>', text: 'changed' };
    await sendEmails(transport(), [rendered, changed], 'k-json');
    const body = fake.lastRequest!.body.toString();
    expect(body).toContain(`"html":${json}`);
    expect(body).toContain(`"text":${textJson}`);
    expect(fake.emailsTo('a@example.com')[0]).toMatchObject({ html, text });
    expect(fake.emailsTo('b@example.com')[0]).toMatchObject({ html: '<p>changed</p>', text: 'changed' });
  });

  it('tells when the batch request left, after the send slot', async () => {
    const steps: string[] = [];
    let slotAt = 0;
    let leftAt = 0;
    const result = await sendEmails(transport(), [email('a@example.com')], 'k-left', {
      beforeCall: async () => {
        await new Promise((r) => setTimeout(r, 20));
        steps.push('slot');
        slotAt = performance.now();
      },
      departed: (at) => {
        steps.push('left');
        leftAt = at;
      },
    });
    expect(result.ok).toBe(true);
    expect(steps).toEqual(['slot', 'left']);
    expect(leftAt - slotAt).toBeGreaterThanOrEqual(0);
    expect(leftAt - slotAt).toBeLessThan(1000);
    // Nothing is reported for a call whose request never left (nothing listens on port 9).
    const left: number[] = [];
    const nowhere = createResendTransport({
      apiKey: fake.apiKey,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 500,
    });
    const failed = await sendEmails(nowhere, [email('a@example.com')], 'k-nowhere', {
      departed: (at) => void left.push(at),
    });
    expect(failed).toMatchObject({ ok: false, kind: 'transient' });
    expect(left).toEqual([]);
  });

  it('answers a repeated key and body with the first ids and sends nothing more', async () => {
    const batch = [email('a@example.com'), email('b@example.com')];
    const first = await sendEmails(transport(), batch, 'k-2');
    const second = await sendEmails(transport(), batch, 'k-2');
    expect(second).toEqual(first);
    expect(fake.emails).toHaveLength(2);
  });

  it('reports a reused key with another body as an idempotency conflict', async () => {
    await sendEmails(transport(), [email('a@example.com')], 'k-3');
    const again = await sendEmails(transport(), [email('a@example.com', 'changed')], 'k-3');
    expect(again).toMatchObject({ ok: false, kind: 'idempotency_conflict' });
    expect(fake.emails).toHaveLength(1);
  });

  it('turns 429 into rate_limited with retry-after, 5xx and timeouts into transient', async () => {
    fake.failNext('429');
    expect(await sendEmails(transport(), [email('a@example.com')], 'k-4')).toMatchObject({
      ok: false,
      kind: 'rate_limited',
      retryAfterSeconds: 1,
    });
    fake.failNext('500');
    expect(await sendEmails(transport(), [email('a@example.com')], 'k-4')).toMatchObject({
      kind: 'transient',
    });
    fake.failNext('timeout-after-accept');
    expect(await sendEmails(transport(), [email('a@example.com')], 'k-4')).toMatchObject({
      kind: 'transient',
    });
    // The fake accepted before the timeout: the retry gets the same id and no second email.
    const retry = await sendEmails(transport(), [email('a@example.com')], 'k-4');
    expect(retry.ok).toBe(true);
    expect(fake.emailsTo('a@example.com')).toHaveLength(1);
  });

  it('turns a configured request rate into 429s with ratelimit headers', async () => {
    fake.configure({ rateLimit: 1 });
    const t = transport();
    const results = await Promise.all(
      [1, 2, 3].map((i) => sendEmails(t, [email(`r${i}@example.com`)], `k-r${i}`)),
    );
    expect(results.filter((r) => !r.ok && r.kind === 'rate_limited').length).toBeGreaterThanOrEqual(1);
  });

  it('treats validation errors and a bad key as permanent', async () => {
    const missing = await sendEmails(transport(), [{ ...email('a@example.com'), subject: '' }], 'k-5');
    expect(missing).toMatchObject({ ok: false, kind: 'permanent' });
    if (!missing.ok) expect(missing.message).toContain('subject');
    const tooMany = await sendEmails(
      transport(),
      Array.from({ length: 101 }, (_, i) => email(`m${i}@example.com`)),
      'k-6',
    );
    expect(tooMany).toMatchObject({ ok: false, kind: 'permanent' });
    const badKey = createResendTransport({ apiKey: 're_wrong', baseUrl: fake.url });
    expect(await sendEmails(badKey, [email('a@example.com')], 'k-7')).toMatchObject({ kind: 'permanent' });
    expect(fake.emails).toHaveLength(0);
  });

  it('reaches the fake through RESEND_BASE_URL when no base URL is given', async () => {
    process.env.RESEND_BASE_URL = fake.url;
    try {
      const t = createResendTransport({ apiKey: fake.apiKey });
      expect(await t.send(email('single@example.com'), 'single-1')).toMatchObject({ ok: true });
    } finally {
      delete process.env.RESEND_BASE_URL;
    }
    expect(fake.emailsTo('single@example.com')).toHaveLength(1);
  });
});

describe('outbox transport', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a complete .eml and .html per email, once per key', async () => {
    const outbox = createOutboxTransport(dir);
    const first = await sendEmails(outbox, [email('ann@example.com'), email('bob@example.com')], 'k-1');
    const second = await sendEmails(outbox, [email('ann@example.com'), email('bob@example.com')], 'k-1');
    expect(second).toEqual(first);
    const files = readdirSync(path.join(dir, '2026-11-26')).sort();
    expect(files).toEqual([
      'ann@example.com.eml',
      'ann@example.com.html',
      'bob@example.com.eml',
      'bob@example.com.html',
    ]);
    const eml = readFileSync(path.join(dir, '2026-11-26', 'ann@example.com.eml'), 'utf8');
    expect(eml).toMatch(/^List-Unsubscribe: <http:\/\/paperboy\.test\/unsubscribe\/t>,/m);
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(eml).toMatch(/^Subject: Papers for 2026-11-26/m);
    expect(eml).toMatch(/^X-Paperboy-Tags: edition=2026-11-26; template=classic/m);
    expect(eml).toContain('Content-Type: multipart/alternative');
  });
});
