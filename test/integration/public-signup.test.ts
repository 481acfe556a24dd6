import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleBackgroundWork } from '../../src/http/public.routes.js';
import { verifyToken } from '../../src/links/tokens.js';
import { suppress } from '../../src/subscribers/suppressions.repository.js';
import { insertSubscriber, type PublicServer, startPublicServer, tokenIn } from '../support/public-server.js';
import { RecordingTransport, waitFor } from '../support/recording-transport.js';

let server: PublicServer;
const transport = new RecordingTransport();

beforeAll(async () => {
  server = await startPublicServer(transport);
});
afterAll(async () => server?.close());

const form = (fields: Record<string, string>) => ({
  method: 'POST' as const,
  url: '/subscribe',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});
const subscriber = (email: string) =>
  server.database.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
/** Sign-up work finishes after the reply. */
const settle = settleBackgroundWork;

describe('GET /', () => {
  it('serves an accessible sign-up form without scripts', async () => {
    const res = await server.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(res.body).toContain('<label for="email">');
    expect(res.body).toContain('<label for="topics">');
    expect(res.body).toContain('name="viewport"');
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('POST /subscribe', () => {
  it('makes a new address pending and mails a confirm link that expires in 7 days', async () => {
    const before = Date.now();
    const res = await server.app.inject(
      form({ email: 'new@example.org', topics: 'multi-agent, reinforcement learning' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your inbox');
    const mail = await waitFor(() => transport.to('new@example.org')[0]);
    const row = await subscriber('new@example.org');
    expect(row?.status).toBe('pending');
    expect((row?.preferences as { topics?: string[] } | undefined)?.topics).toEqual([
      'multi-agent',
      'reinforcement learning',
    ]);
    expect(row?.confirmation_sent_at).not.toBeNull();
    const claims = verifyToken(server.config.signingSecrets, tokenIn(mail.text, 'confirm'), 'confirm');
    expect(claims?.subscriberId).toBe(row?.id);
    const days = ((claims?.expiresAt ?? 0) * 1000 - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect(mail.html).toContain('/confirm/');
  });

  it('answers a new, pending, active, unsubscribed and suppressed address with the same page', async () => {
    await insertSubscriber(server, { email: 'active@example.org' });
    await insertSubscriber(server, { email: 'gone@example.org', status: 'unsubscribed' });
    await insertSubscriber(server, { email: 'waiting@example.org', status: 'pending' });
    await suppress(server.database.db, 'bounced@example.org', 'hard_bounce');
    const answers = [];
    for (const email of [
      'fresh@example.org',
      'waiting@example.org',
      'active@example.org',
      'gone@example.org',
      'bounced@example.org',
    ]) {
      const res = await server.app.inject(form({ email }));
      answers.push({ status: res.statusCode, body: res.body, type: res.headers['content-type'] });
      const json = await server.app.inject({ method: 'POST', url: '/subscribe', payload: { email } });
      answers.push({ status: json.statusCode, body: json.body, type: json.headers['content-type'] });
    }
    const pages = answers.filter((_, i) => i % 2 === 0);
    const jsons = answers.filter((_, i) => i % 2 === 1);
    expect(new Set(pages.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(new Set(jsons.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(jsons[0]?.status).toBe(200);
    await settle();
    expect(transport.to('active@example.org')).toHaveLength(0);
    expect(transport.to('bounced@example.org')).toHaveLength(0);
    expect(transport.to('fresh@example.org')).toHaveLength(1);
    expect((await subscriber('active@example.org'))?.status).toBe('active');
    expect(await subscriber('bounced@example.org')).toBeUndefined();
  });

  it('re-sends to a pending address at most once per 10 minutes', async () => {
    await server.app.inject(form({ email: 'twice@example.org' }));
    await waitFor(() => transport.to('twice@example.org')[0]);
    await server.app.inject(form({ email: 'Twice@Example.org' }));
    await settle();
    expect(transport.to('twice@example.org')).toHaveLength(1);
    await server.database.db
      .updateTable('subscribers')
      .set({ confirmation_sent_at: new Date(Date.now() - 11 * 60_000) })
      .where('email', '=', 'twice@example.org')
      .execute();
    await server.app.inject(form({ email: 'twice@example.org' }));
    await waitFor(() => transport.to('twice@example.org')[1]);
    const rows = await server.database.db
      .selectFrom('subscribers')
      .select('id')
      .where('email', 'ilike', 'twice@example.org')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('treats an unsubscribed address like a new one', async () => {
    await insertSubscriber(server, { email: 'back@example.org', status: 'unsubscribed' });
    await server.app.inject(form({ email: 'back@example.org', topics: 'robotics' }));
    const mail = await waitFor(() => transport.to('back@example.org')[0]);
    expect(mail.text).toContain('/confirm/');
    const row = await subscriber('back@example.org');
    expect(row?.status).toBe('pending');
    expect((row?.preferences as { topics?: string[] } | undefined)?.topics).toEqual(['robotics']);
  });

  it('keeps what was typed and says what is wrong beside the field', async () => {
    const res = await server.app.inject(form({ email: 'not-an-address', topics: 'agents, "quoted" <b>' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="email-error"');
    expect(res.body).toContain('Enter an email address like name@example.org.');
    expect(res.body).toContain('value="not-an-address"');
    expect(res.body).toContain('value="agents, &quot;quoted&quot; &lt;b&gt;"');
    expect(res.body).toContain('aria-invalid="true"');
    const json = await server.app.inject({ method: 'POST', url: '/subscribe', payload: { email: '' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ ok: false, errors: { email: 'Enter your email address.' } });
  });

  it('frees the throttle when the confirmation could not be sent', async () => {
    transport.failNext = true;
    await server.app.inject(form({ email: 'flaky@example.org' }));
    await settle();
    const row = await subscriber('flaky@example.org');
    expect(row?.status).toBe('pending');
    expect(row?.confirmation_sent_at).toBeNull();
    expect(transport.to('flaky@example.org')).toHaveLength(0);
    await server.app.inject(form({ email: 'flaky@example.org' }));
    await settle();
    expect(transport.to('flaky@example.org')).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it('limits sign-ups per IP with a 429, and per address silently', async () => {
    const mails = new RecordingTransport();
    const limited = await startPublicServer(mails, { limits: { perIp: 3, perAddress: 2 } });
    const byAddress = limited;
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({
          ...form({ email: `ip${i}@example.org` }),
          remoteAddress: '203.0.113.9',
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const other = await limited.app.inject({
        ...form({ email: 'elsewhere@example.org' }),
        remoteAddress: '198.51.100.1',
      });
      expect(other.statusCode).toBe(200);

      const bodies = new Set<string>();
      for (let i = 0; i < 3; i++) {
        await byAddress.database.db.updateTable('subscribers').set({ confirmation_sent_at: null }).execute();
        const res = await byAddress.app.inject({
          ...form({ email: 'target@example.org' }),
          remoteAddress: `192.0.2.${i}`,
        });
        expect(res.statusCode).toBe(200);
        bodies.add(res.body);
        await settle();
      }
      expect(bodies.size).toBe(1);
      // Two went through (the throttle was reset between them), the third did nothing.
      expect(mails.to('target@example.org')).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});
