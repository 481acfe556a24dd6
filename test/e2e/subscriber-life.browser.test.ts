import { mkdirSync } from 'node:fs';
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComposer } from '../../src/delivery/compose-digest.js';
import { planDay } from '../../src/delivery/plan-edition.js';
import { createResendTransport } from '../../src/delivery/resend.transport.js';
import { sendBatch } from '../../src/delivery/send-batch.js';
import type { Transport } from '../../src/delivery/transport.js';
import { launchChromium } from '../support/browser.js';
import { testConfig } from '../support/config.js';
import { type FakeResend, startFakeResend } from '../support/fake-resend.js';
import { generatePapers } from '../support/generate.js';
import { insertPapers, type PublicServer, startPublicServer } from '../support/public-server.js';
import { waitFor } from '../support/recording-transport.js';

/**
 * A subscriber's whole life in Chromium: sign up on the page, confirm from the email (read from the
 * fake Resend's log, sent through the real Resend transport), change preferences and see the
 * preview follow, get a digest, unsubscribe (one-click POST from the digest's List-Unsubscribe
 * header, and the page's button), and no digest after that.
 */

const SHOTS = 'test-results/screenshots';
let browser: Browser;
let server: PublicServer;
let base: string;
let resend: FakeResend;
let transport: Transport;
const EDITION_1 = '2026-11-26';
const EDITION_2 = '2026-11-27';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function linkIn(text: string, kind: string): string {
  const match = new RegExp(`(https?://[^\\s>]+/${kind}/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${kind} link in: ${text}`);
  return match[1] as string;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Plans and sends one edition the way the workers do (without the queue): what each address got. */
async function sendEdition(date: string): Promise<{ planned: number; sent: number }> {
  const batches: string[] = [];
  const deps = {
    db: server.database.db,
    transport,
    composer: createComposer({ db: server.database.db, config: server.config }),
  };
  const planned = await planDay(
    { db: deps.db, enqueueSends: async (refs) => void batches.push(...refs.map((r) => r.batchKey)) },
    date,
  );
  let sent = 0;
  for (const key of batches) sent += (await sendBatch(deps, key, { editionDate: date })).sent;
  return { planned: planned.editions[date]?.planned ?? 0, sent };
}

const mail = { to: (address: string) => resend.emailsTo(address) };

const statusOf = async (email: string) =>
  (
    await server.database.db
      .selectFrom('subscribers')
      .select('status')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).status;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  resend = await startFakeResend();
  transport = createResendTransport({ apiKey: resend.apiKey, baseUrl: resend.url });
  server = await startPublicServer(transport, { config: testConfig({ PUBLIC_URL: base }) });
  await insertPapers(server, generatePapers(40, { seed: 11, listedOn: EDITION_1, idPrefix: '2610' }));
  await insertPapers(server, generatePapers(40, { seed: 12, listedOn: EDITION_2, idPrefix: '2611' }));
  await server.app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await resend?.close();
});

async function signUpAndConfirm(page: Page, email: string, prefix: string): Promise<string> {
  await page.goto(`${base}/`);
  await shot(page, `${prefix}-1-signup`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Interests (optional)').fill('reinforcement learning, agents');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  await shot(page, `${prefix}-2-check-inbox`);

  const confirmation = await waitFor(() => mail.to(email)[0]);
  const confirmUrl = linkIn(confirmation.text ?? '', 'confirm');
  await page.goto(confirmUrl);
  expect(await statusOf(email)).toBe('pending');
  await shot(page, `${prefix}-3-confirm`);
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
  await shot(page, `${prefix}-4-confirmed`);
  expect(await statusOf(email)).toBe('active');

  const welcome = await waitFor(() => mail.to(email)[1]);
  return linkIn(welcome.text ?? '', 'preferences');
}

describe('a subscriber in the browser', () => {
  it('signs up, confirms, changes preferences and leaves with a one-click POST', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const email = 'reader@example.org';
    const preferencesUrl = await signUpAndConfirm(page, email, 'life');

    const feedbackLinks = () => page.locator('a[href*="/feedback/"]').count();
    const previewUrl = `${preferencesUrl}/preview`;
    await page.goto(previewUrl);
    const firstPreview = await feedbackLinks(); // two per paper: more / less
    expect(firstPreview).toBeGreaterThan(6);
    await page.goto(preferencesUrl);
    expect(await page.getByLabel('Topics').inputValue()).toBe('reinforcement learning, agents');
    await page.getByLabel('Topics').fill('robot manipulation, sim-to-real');
    await page.getByLabel('Papers per digest').fill('99');
    await page.getByLabel('Your time zone').fill('Europe/Lisbon');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('must be between 1 and 50').waitFor();
    expect(await page.getByLabel('Topics').inputValue()).toBe('robot manipulation, sim-to-real');
    await shot(page, 'life-5-preferences-error');
    await page.getByLabel('Papers per digest').fill('3');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved.').waitFor();
    await shot(page, 'life-6-preferences-saved');
    const row = await server.database.db
      .selectFrom('subscribers')
      .select('preferences')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.preferences).toMatchObject({
      topics: ['robot manipulation', 'sim-to-real'],
      maxPapers: 3,
      timezone: 'Europe/Lisbon',
    });

    // The next preview follows the saved preferences.
    await page.getByRole('link', { name: "Show me a preview of tomorrow's digest" }).click();
    await page.waitForURL(previewUrl);
    expect(await feedbackLinks()).toBe(6);
    expect((await page.content()).toLowerCase()).toMatch(/robot manipulation|sim-to-real/);
    await shot(page, 'life-7-preview');

    // A digest goes out through the send path, with the one-click URL in its headers.
    expect(await sendEdition(EDITION_1)).toMatchObject({ sent: 1 });
    const digest = mail.to(email)[2];
    expect(digest?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(
      digest?.headers['List-Unsubscribe'] ?? '',
    )?.[1];
    expect(unsubscribeUrl).toBeDefined();

    // The mailbox provider's one-click POST: no cookies, no browser.
    const res = await fetch(unsubscribeUrl as string, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await statusOf(email)).toBe('unsubscribed');
    await page.goto(preferencesUrl);
    await page.getByText('You are unsubscribed').first().waitFor();
    await shot(page, 'life-8-preferences-unsubscribed');

    // No further digest: the next edition plans and sends nothing to this address.
    const before = mail.to(email).length;
    await sendEdition(EDITION_2);
    expect(mail.to(email)).toHaveLength(before);
    const planned = await server.database.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select('deliveries.edition_date')
      .where('subscribers.email', '=', email)
      .execute();
    expect(planned.map((d) => d.edition_date)).toEqual([EDITION_1]);
    await context.close();
  }, 180_000);

  it('leaves through the unsubscribe page: the GET changes nothing, the button does', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const email = 'button@example.org';
    await signUpAndConfirm(page, email, 'button');
    const unsubscribeUrl = linkIn(mail.to(email)[1]?.text ?? '', 'unsubscribe');
    await page.goto(unsubscribeUrl);
    await shot(page, 'button-5-unsubscribe-page');
    expect(await statusOf(email)).toBe('active');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await shot(page, 'button-6-unsubscribed');
    expect(await statusOf(email)).toBe('unsubscribed');
    const before = mail.to(email).length;
    await sendEdition(EDITION_2);
    expect(mail.to(email)).toHaveLength(before);
    await page.getByRole('button', { name: 'Undo: subscribe me again' }).click();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(await statusOf(email)).toBe('active');
    await context.close();
  }, 180_000);
});
