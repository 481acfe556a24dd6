import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriberLinks } from '../../src/links/links.js';
import { readPreferences } from '../../src/subscribers/preferences.js';
import { suppress, suppressedAmong } from '../../src/subscribers/suppressions.repository.js';
import { insertSubscriber, type PublicServer, startPublicServer } from '../support/public-server.js';
import { RecordingTransport } from '../support/recording-transport.js';

let server: PublicServer;

beforeAll(async () => {
  server = await startPublicServer(new RecordingTransport());
  await server.database.db
    .insertInto('papers')
    .values({
      id: '2611.00002',
      title: 'Another paper',
      abstract: '',
      authors: '[]',
      upvotes: 0,
      comments: 0,
      ai_keywords: '[]',
      listed_on: '2026-11-27',
      source: 'file',
    })
    .execute();
});
afterAll(async () => server?.close());

const prefsPath = (s: { id: string; token_version: number }) =>
  new URL(subscriberLinks(server.config, { id: s.id, tokenVersion: s.token_version }).preferences).pathname;
const post = (url: string, fields: Record<string, string>) =>
  server.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
const row = (id: string) =>
  server.database.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();

const VALID = {
  topics: 'multi-agent, reinforcement learning',
  exclude: 'survey',
  follow: 'Meta AI',
  minUpvotes: '5',
  maxPapers: '12',
  frequency: 'weekly',
  weeklyDay: '3',
  sendHour: '18',
  timezone: 'Europe/Berlin',
  template: 'modern',
  format: 'html',
  abstracts: 'full',
  quietDay: 'note',
};

describe('preferences page', () => {
  it('shows every preference in one labelled form, with a searchable time zone list', async () => {
    const s = await insertSubscriber(server, {
      email: 'page@example.org',
      preferences: { topics: ['diffusion'] },
    });
    const res = await server.app.inject({ url: prefsPath(s) });
    expect(res.statusCode).toBe(200);
    for (const field of Object.keys(VALID)) expect(res.body, field).toContain(`name="${field}"`);
    for (const id of [
      'topics',
      'exclude',
      'follow',
      'minUpvotes',
      'maxPapers',
      'weeklyDay',
      'sendHour',
      'timezone',
    ]) {
      expect(res.body, id).toContain(`<label for="${id}">`);
    }
    expect(res.body).toContain('list="time-zones"');
    expect(res.body).toContain('<option value="Europe/Berlin">');
    expect(res.body).toContain('value="diffusion"');
    expect(res.body).toContain('Send at (your own time)');
    expect(res.body).toContain('Download my data');
    expect(res.body).toContain('Sign out my old links');
    expect(res.body).toContain('Delete me');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('saves valid preferences', async () => {
    const s = await insertSubscriber(server, { email: 'save@example.org' });
    const res = await post(prefsPath(s), VALID);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Saved.');
    const saved = readPreferences((await row(s.id))?.preferences);
    expect(saved).toMatchObject({
      topics: ['multi-agent', 'reinforcement learning'],
      follow: ['Meta AI'],
      maxPapers: 12,
      frequency: 'weekly',
      weeklyDay: 3,
      sendHour: 18,
      timezone: 'Europe/Berlin',
      template: 'modern',
      quietDay: 'note',
    });
  });

  it('keeps the input and puts each error beside its field, saving nothing', async () => {
    const s = await insertSubscriber(server, { email: 'typo@example.org', preferences: { maxPapers: 7 } });
    const res = await post(prefsPath(s), {
      ...VALID,
      maxPapers: '99',
      timezone: 'Mars/Olympus_Mons',
      minUpvotes: 'lots',
      topics: 'kept <text> & more',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Nothing was saved');
    expect(res.body).toMatch(/id="maxPapers-error">must be between 1 and 50</);
    expect(res.body).toMatch(/id="timezone-error">must be an IANA time zone/);
    expect(res.body).toMatch(/id="minUpvotes-error">must be a whole number</);
    expect(res.body).toContain('value="99"');
    expect(res.body).toContain('value="Mars/Olympus_Mons"');
    expect(res.body).toContain('value="lots"');
    expect(res.body).toContain('value="kept &lt;text&gt; &amp; more"');
    expect(res.body).not.toContain('id="topics-error"');
    expect(readPreferences((await row(s.id))?.preferences).maxPapers).toBe(7);
  });

  it('signs out old links: the old ones stop working, the new page opens', async () => {
    const s = await insertSubscriber(server, { email: 'forwarded@example.org' });
    const old = subscriberLinks(server.config, { id: s.id, tokenVersion: s.token_version });
    const res = await post(`${prefsPath(s)}/sign-out`, {});
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/preferences\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect((await row(s.id))?.token_version).toBe(s.token_version + 1);
    expect((await server.app.inject({ url: location })).statusCode).toBe(200);
    for (const url of [old.preferences, old.unsubscribe, old.feedback('2611.00002', 'more')]) {
      expect((await server.app.inject({ url: new URL(url).pathname })).statusCode, url).toBe(404);
    }
    const oldUnsubscribe = await server.app.inject({
      method: 'POST',
      url: new URL(old.unsubscribe).pathname,
    });
    expect(oldUnsubscribe.statusCode).toBe(404);
    expect((await row(s.id))?.status).toBe('active');
  });

  it('downloads the data as JSON: subscriber, preferences, feedback, deliveries', async () => {
    const s = await insertSubscriber(server, {
      email: 'mine@example.org',
      preferences: { topics: ['agents'] },
    });
    const db = server.database.db;
    await db
      .insertInto('editions')
      .values({ date: '2026-11-27' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto('deliveries')
      .values({
        edition_date: '2026-11-27',
        subscriber_id: s.id,
        state: 'sent',
        subject: 'Nov 27: Another paper',
        paper_ids: '["2611.00002"]',
      })
      .execute();
    await db
      .insertInto('feedback')
      .values({ subscriber_id: s.id, paper_id: '2611.00002', value: 1 })
      .execute();
    const res = await server.app.inject({ url: `${prefsPath(s)}/data` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-disposition']).toContain('attachment');
    const data = res.json();
    expect(data.subscriber.email).toBe('mine@example.org');
    expect(data.preferences.topics).toEqual(['agents']);
    expect(data.preferences.maxPapers).toBe(10);
    expect(data.feedback).toEqual([expect.objectContaining({ paperId: '2611.00002', value: 'more' })]);
    expect(data.deliveries).toEqual([
      expect.objectContaining({ edition_date: '2026-11-27', state: 'sent', paper_ids: ['2611.00002'] }),
    ]);
  });

  it('deletes the subscriber and their rows; the suppression list keeps only bounces and complaints', async () => {
    const db = server.database.db;
    const plain = await insertSubscriber(server, { email: 'leaving@example.org' });
    const bounced = await insertSubscriber(server, { email: 'bounced@example.org' });
    await suppress(db, 'bounced@example.org', 'hard_bounce');
    await db
      .insertInto('feedback')
      .values({ subscriber_id: plain.id, paper_id: '2611.00002', value: -1 })
      .execute();
    await db
      .insertInto('editions')
      .values({ date: '2026-11-28' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await db
      .insertInto('deliveries')
      .values({ edition_date: '2026-11-28', subscriber_id: plain.id, state: 'sent' })
      .execute();

    const unticked = await post(`${prefsPath(plain)}/delete`, {});
    expect(unticked.statusCode).toBe(400);
    expect(await row(plain.id)).toBeDefined();

    for (const s of [plain, bounced]) {
      const res = await post(`${prefsPath(s)}/delete`, { confirm: 'yes' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Deleted');
      expect(await row(s.id)).toBeUndefined();
      expect((await server.app.inject({ url: prefsPath(s) })).statusCode).toBe(404);
    }
    expect(
      await db.selectFrom('feedback').selectAll().where('subscriber_id', '=', plain.id).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('deliveries').selectAll().where('subscriber_id', '=', plain.id).execute(),
    ).toEqual([]);
    expect([...(await suppressedAmong(db, ['leaving@example.org', 'bounced@example.org']))]).toEqual([
      'bounced@example.org',
    ]);
  });

  it('unsubscribes from the page, then offers to subscribe again', async () => {
    const s = await insertSubscriber(server, { email: 'toggle@example.org' });
    const page = await server.app.inject({ url: prefsPath(s) });
    const action = /<form action="(\/unsubscribe\/[^"]+)" method="post">/.exec(page.body)?.[1] as string;
    expect(action).toBeDefined();
    expect((await post(action, { 'List-Unsubscribe': 'One-Click' })).statusCode).toBe(200);
    const after = await server.app.inject({ url: prefsPath(s) });
    expect(after.body).toContain('You are unsubscribed');
    expect(after.body).toMatch(
      /<form action="\/confirm\/[^"]+" method="post"><button type="submit">Subscribe me again/,
    );
  });
});
