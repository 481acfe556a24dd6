import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../support/config.js';
import { type PublicServer, startPublicServer } from '../support/public-server.js';
import { RecordingTransport, waitFor } from '../support/recording-transport.js';

/**
 * A subscriber's whole life in Chromium: sign up on the page, confirm from the email, change
 * preferences, unsubscribe (one-click POST, and the page's button), and no digest after that.
 */

const SHOTS = 'test-results/screenshots';
let browser: Browser;
let server: PublicServer;
let base: string;
const mail = new RecordingTransport();

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
  server = await startPublicServer(mail, { config: testConfig({ PUBLIC_URL: base }) });
  await server.app.listen({ port, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
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
  const confirmUrl = linkIn(confirmation.text, 'confirm');
  await page.goto(confirmUrl);
  expect(await statusOf(email)).toBe('pending');
  await shot(page, `${prefix}-3-confirm`);
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
  await shot(page, `${prefix}-4-confirmed`);
  expect(await statusOf(email)).toBe('active');

  const welcome = await waitFor(() => mail.to(email)[1]);
  return linkIn(welcome.text, 'preferences');
}

describe('a subscriber in the browser', () => {
  it('signs up, confirms, changes preferences and leaves with a one-click POST', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const email = 'reader@example.org';
    const preferencesUrl = await signUpAndConfirm(page, email, 'life');

    await page.goto(preferencesUrl);
    expect(await page.getByLabel('Topics').inputValue()).toBe('reinforcement learning, agents');
    await page.getByLabel('Topics').fill('robotics, sim-to-real');
    await page.getByLabel('Papers per digest').fill('99');
    await page.getByLabel('Your time zone').fill('Europe/Lisbon');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('must be between 1 and 50').waitFor();
    expect(await page.getByLabel('Topics').inputValue()).toBe('robotics, sim-to-real');
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
      topics: ['robotics', 'sim-to-real'],
      maxPapers: 3,
      timezone: 'Europe/Lisbon',
    });

    // The mailbox provider's one-click POST: no cookies, no browser.
    const unsubscribeUrl = linkIn(mail.to(email)[1]?.text ?? '', 'unsubscribe');
    const res = await fetch(unsubscribeUrl, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await statusOf(email)).toBe('unsubscribed');
    await page.goto(preferencesUrl);
    await page.getByText('You are unsubscribed').first().waitFor();
    await shot(page, 'life-7-preferences-unsubscribed');
    await context.close();
  });

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
    await page.getByRole('button', { name: 'Undo: subscribe me again' }).click();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    expect(await statusOf(email)).toBe('active');
    await context.close();
  });
});
