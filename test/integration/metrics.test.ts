import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEditionContext, selectForSubscribers } from '../../src/editions/selection.service.js';
import { buildServer } from '../../src/http/server.js';
import { countSendOutcome, registry, startMetricsServer } from '../../src/metrics.js';
import { renderDigest } from '../../src/render/render-digest.js';
import { defaultPreferences } from '../../src/subscribers/preferences.js';
import { insertPapers } from '../support/admin-seed.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { digestInput } from '../support/digests.js';
import { generatePapers } from '../support/generate.js';
import { RecordingTransport } from '../support/recording-transport.js';
import { resendEvent, signWebhook, TEST_WEBHOOK_SECRET, webhookContext } from '../support/webhooks.js';

/** The increments wired into ranking, rendering, sending and webhooks reach the one registry. */

let database: TestDatabase;

async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  // A histogram's _count is one of its values, named by metricName.
  const base = name.replace(/_count$/, '');
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === base);
  const matching = (metric?.values ?? []).filter(
    (v) =>
      ((v as { metricName?: string }).metricName ?? base) === name &&
      Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return matching.reduce((sum, v) => sum + Number(v.value), 0);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await insertPapers(database.db, generatePapers(20, { listedOn: '2026-11-26' }));
});

afterAll(async () => {
  await database?.drop();
});

describe('metrics fed by the other parts', () => {
  it('times ranking and rendering', async () => {
    const ranks = await value('paperboy_rank_duration_seconds_count');
    const renders = await value('paperboy_render_duration_seconds_count', { template: 'modern' });
    const selections = await selectForSubscribers(database.db, createEditionContext('2026-11-26'), [
      { id: '0', preferences: defaultPreferences },
    ]);
    await renderDigest(
      digestInput(selections.get('0')!.papers, {
        preferences: { template: 'modern', format: 'html', abstracts: 'short' },
      }),
    );
    expect(await value('paperboy_rank_duration_seconds_count')).toBe(ranks + 1);
    expect(await value('paperboy_render_duration_seconds_count', { template: 'modern' })).toBe(renders + 1);
  });

  it('counts sent and failed emails by transport and reason', async () => {
    const sent = await value('paperboy_emails_sent_total', { transport: 'resend', kind: 'digest' });
    const failed = await value('paperboy_emails_failed_total', { reason: 'transient' });
    countSendOutcome('resend', { ok: true }, 3);
    countSendOutcome('resend', { ok: false, kind: 'idempotency_conflict' }, 2);
    countSendOutcome('resend', { ok: false, kind: 'transient' }, 4);
    expect(await value('paperboy_emails_sent_total', { transport: 'resend', kind: 'digest' })).toBe(sent + 5);
    expect(await value('paperboy_emails_failed_total', { reason: 'transient' })).toBe(failed + 4);
  });

  it('counts verified webhook events by type', async () => {
    const config = testConfig({ RESEND_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
    const app = await buildServer(webhookContext(database, config).ctx, {
      transport: new RecordingTransport(),
    });
    try {
      const before = await value('paperboy_webhook_events_total', { type: 'email.opened' });
      const signed = signWebhook(TEST_WEBHOOK_SECRET, resendEvent('email.opened'));
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/resend',
        headers: signed.headers,
        payload: signed.body,
      });
      expect(res.statusCode).toBe(200);
      expect(await value('paperboy_webhook_events_total', { type: 'email.opened' })).toBe(before + 1);
      const forged = await app.inject({
        method: 'POST',
        url: '/webhooks/resend',
        headers: { ...signed.headers, 'svix-signature': 'v1,AAAA' },
        payload: signed.body,
      });
      expect(forged.statusCode).toBeGreaterThanOrEqual(400);
      expect(await value('paperboy_webhook_events_total', { type: 'email.opened' })).toBe(before + 1);
    } finally {
      await app.close();
    }
  });

  it("serves a worker's metrics on its own port", async () => {
    const server = await startMetricsServer(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toContain('# TYPE paperboy_emails_sent_total counter');
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
