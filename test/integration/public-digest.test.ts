import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEditionContext, selectForSubscriber } from '../../src/editions/selection.service.js';
import { DIGEST_CSP } from '../../src/http/public-security.js';
import { subscriberLinks } from '../../src/links/links.js';
import { getSubscriber } from '../../src/subscribers/subscribers.repository.js';
import { generatePapers } from '../support/generate.js';
import {
  insertPapers,
  insertSubscriber,
  type PublicServer,
  startPublicServer,
} from '../support/public-server.js';
import { RecordingTransport } from '../support/recording-transport.js';

let server: PublicServer;

beforeAll(async () => {
  server = await startPublicServer(new RecordingTransport());
  await insertPapers(server, generatePapers(40, { seed: 7, listedOn: '2026-11-26', idPrefix: '2610' }));
  await insertPapers(server, generatePapers(40, { seed: 8, listedOn: '2026-11-27', idPrefix: '2611' }));
});
afterAll(async () => server?.close());

const linksOf = (s: { id: string; token_version: number }) =>
  subscriberLinks(server.config, { id: s.id, tokenVersion: s.token_version });
const path = (url: string) => new URL(url).pathname;

describe('digest pages', () => {
  it("previews the next digest (the newest day's papers) as ranked for the saved preferences", async () => {
    const row = await insertSubscriber(server, {
      email: 'preview@example.org',
      preferences: { topics: ['robot manipulation', 'imitation learning'], maxPapers: 3 },
    });
    const res = await server.app.inject({ url: `${path(linksOf(row).preferences)}/preview` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(DIGEST_CSP);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const subscriber = await getSubscriber(server.database.db, row.id);
    const expected = await selectForSubscriber(
      server.database.db,
      createEditionContext('2026-11-27'),
      subscriber!,
    );
    expect(expected.papers).toHaveLength(3);
    for (const { paper } of expected.papers) expect(res.body).toContain(paper.title);
    const shown = (res.body.match(/\/feedback\//g) ?? []).length;
    expect(shown).toBe(6);
    expect(res.body).not.toContain('2610.');
  });

  it('changes with the preferences: plain text in a page, fewer papers', async () => {
    const row = await insertSubscriber(server, {
      email: 'text@example.org',
      preferences: { format: 'text', maxPapers: 2 },
    });
    const res = await server.app.inject({ url: `${path(linksOf(row).preferences)}/preview` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<pre>');
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    const subscriber = await getSubscriber(server.database.db, row.id);
    const expected = await selectForSubscriber(
      server.database.db,
      createEditionContext('2026-11-27'),
      subscriber!,
    );
    expect(expected.papers).toHaveLength(2);
    for (const { paper } of expected.papers) expect(res.body).toContain(paper.title);
  });

  it('shows a past edition in the browser from the view link, and 404s a bad one', async () => {
    const row = await insertSubscriber(server, {
      email: 'viewer@example.org',
      preferences: { maxPapers: 4 },
    });
    const res = await server.app.inject({ url: path(linksOf(row).viewInBrowser('2026-11-26')) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2610.');
    expect(res.body).not.toContain('2611.');
    const notADate = await server.app.inject({ url: path(linksOf(row).viewInBrowser('yesterday')) });
    expect(notADate.statusCode).toBe(404);
  });

  it('says so when the day has nothing for a subscriber who skips quiet days', async () => {
    const row = await insertSubscriber(server, {
      email: 'quiet@example.org',
      preferences: { minUpvotes: 100_000, quietDay: 'skip' },
    });
    const res = await server.app.inject({ url: path(linksOf(row).viewInBrowser('2026-11-27')) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No digest for 2026-11-27');
  });
});
