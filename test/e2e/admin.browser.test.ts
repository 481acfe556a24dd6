import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '../../src/delivery/create-transport.js';
import { buildServer } from '../../src/http/server.js';
import { insertPapers, insertSubscriber } from '../support/admin-seed.js';
import { testContext } from '../support/app-context.js';
import { launchChromium } from '../support/browser.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { deleteKeys, randomPrefix, TEST_REDIS_URL } from '../support/redis.js';

/**
 * The operator's morning in a real Chromium: sign in, preview a subscriber's digest at desktop and
 * phone widths, send a test, look at an edition's deliveries and the queues. Screenshots go to
 * test-results/screenshots/ for a person to look at.
 */

const TOKEN = 'e2e-admin-token-0123456789';
const SHOTS = 'test-results/screenshots';
const DATE = '2026-11-27';

let database: TestDatabase;
let fake: FakeResend;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const prefix = randomPrefix();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  database = await createTestDatabase();
  fake = await startFakeResend();
  const papers = generatePapers(40, { listedOn: DATE, seed: 7 });
  papers[0]!.title = 'Multi-agent reinforcement learning <b>at scale</b> & friends';
  papers[0]!.upvotes = 900;
  await insertPapers(database.db, papers);
  const ada = await insertSubscriber(database.db, 'ada@example.org', {
    topics: ['reinforcement learning', 'multi-agent'],
    template: 'modern',
    maxPapers: 6,
  });
  const bob = await insertSubscriber(database.db, 'bob@example.org');
  await database.db.insertInto('editions').values({ date: DATE }).execute();
  await database.db
    .insertInto('deliveries')
    .values([
      {
        edition_date: DATE,
        subscriber_id: ada,
        state: 'sent',
        sent_at: new Date(),
        subject: `${DATE}: papers`,
      },
      { edition_date: DATE, subscriber_id: bob, state: 'failed', reason: 'resend 500: internal error' },
    ])
    .execute();
  const config = testConfig({
    ADMIN_TOKEN: TOKEN,
    MAIL_TRANSPORT: 'resend',
    RESEND_API_KEY: fake.apiKey,
    RESEND_BASE_URL: fake.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
  });
  app = await buildServer(testContext(config, database.db, database.url), {
    transport: createTransport(config),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
  await database?.drop();
  await deleteKeys(prefix);
});

describe('operator console in Chromium', () => {
  it('signs in with the form', async () => {
    await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/sign-in?next=%2Fadmin`);
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await page.fill('input[name=name]', 'Ada Operator');
    await page.fill('input[name=token]', TOKEN);
    await Promise.all([page.waitForURL(/\/admin\/editions$/), page.click('button[type=submit]')]);
    await expect(page.textContent('.who')).resolves.toContain('Ada Operator');
    await page.screenshot({ path: `${SHOTS}/editions.png`, fullPage: true });
  });

  it("previews a subscriber's digest at desktop and phone widths", async () => {
    await page.goto(`${base}/admin/preview`);
    await page.fill('input[name=email]', 'ada@example.org');
    await page.fill('input[name=date]', DATE);
    await Promise.all([page.waitForURL(/email=ada/), page.click('fieldset button.primary')]);
    const subject = await page.textContent('#preview-subject');
    expect(subject).toMatch(/^27 Nov 2026: /);
    // What the email itself sees as its window: a desktop client's 600 px, a phone's 375 px.
    for (const [which, width] of [
      ['desktop', 600],
      ['phone', 375],
    ] as const) {
      const frame = await (await page.locator(`.frame.${which} iframe`).elementHandle())?.contentFrame();
      expect(await frame?.evaluate(() => window.innerWidth)).toBe(width);
      expect(await frame?.evaluate(() => document.body.textContent)).toContain('Multi-agent');
      // Nothing in the message is wider than the window: no sideways scrolling on a phone.
      expect(await frame?.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    expect(await page.locator('.why').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/preview.png`, fullPage: true });
  });

  it('sends a test that reaches the transport marked as a test', async () => {
    await page.fill('input[name=to]', 'operator@example.org');
    await page.click('button:has-text("Send test")');
    await page.waitForURL(/flash=/, { timeout: 10_000 }).catch(async (e) => {
      console.log(page.url(), (await page.content()).slice(0, 2000));
      throw e;
    });
    await expect(page.textContent('.flash')).resolves.toContain('operator@example.org');
    const sent = fake.emailsTo('operator@example.org');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toMatch(/^\[test\] /);
    expect(sent[0]!.tags).toContainEqual({ name: 'test', value: 'true' });
    const deliveries = await database.db.selectFrom('deliveries').select('id').execute();
    expect(deliveries).toHaveLength(2);
    await page.screenshot({ path: `${SHOTS}/test-sent.png` });
  });

  it("opens an edition's deliveries", async () => {
    await page.goto(`${base}/admin/editions`);
    await Promise.all([page.waitForURL(new RegExp(`/admin/editions/${DATE}$`)), page.click(`text=${DATE}`)]);
    await expect(page.textContent('table')).resolves.toContain('resend 500: internal error');
    await page.screenshot({ path: `${SHOTS}/edition.png`, fullPage: true });
  });

  it('opens the bull-board page', async () => {
    await page.goto(`${base}/admin/queues`);
    await page.waitForSelector('text=sends', { timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/queues.png`, fullPage: true });
  });

  it('shows the public archive page of the edition, with no personal links', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    try {
      await visitor.goto(`${base}/archive`);
      await Promise.all([
        visitor.waitForURL(new RegExp(`/archive/${DATE}$`)),
        visitor.click(`a[href="/archive/${DATE}"]`),
      ]);
      expect(await visitor.textContent('body')).toContain(
        'Multi-agent reinforcement learning <b>at scale</b> & friends',
      );
      const hrefs = await visitor.$$eval('a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.some((h) => /\/(unsubscribe|feedback|preferences)\//.test(h))).toBe(false);
      await visitor.screenshot({ path: `${SHOTS}/archive.png`, fullPage: false });
    } finally {
      await visitor.close();
    }
  });
});
