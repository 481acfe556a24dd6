import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmLink, subscriberLinks } from '../../src/links/links.js';
import { resolveToken } from '../../src/links/resolve-token.js';
import { signToken } from '../../src/links/tokens.js';
import { insertSubscriber, type PublicServer, startPublicServer, tokenIn } from '../support/public-server.js';
import { RecordingTransport } from '../support/recording-transport.js';

let server: PublicServer;
const transport = new RecordingTransport();

beforeAll(async () => {
  server = await startPublicServer(transport);
  await server.database.db
    .insertInto('papers')
    .values({
      id: '2611.00001',
      title: 'A paper',
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

const path = (url: string) => new URL(url).pathname;
const links = (s: { id: string; token_version: number }) =>
  subscriberLinks(server.config, { id: s.id, tokenVersion: s.token_version });
const formPosting = (url: string) =>
  new RegExp(`<form action="${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" method="post">`);
const statusOf = async (id: string) =>
  (
    await server.database.db
      .selectFrom('subscribers')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('confirm', () => {
  it('GET shows a button and changes nothing; POST activates and sends the welcome once', async () => {
    const s = await insertSubscriber(server, { email: 'confirm-me@example.org', status: 'pending' });
    const url = path(confirmLink(server.config, { id: s.id, tokenVersion: s.token_version }));
    const page = await server.app.inject({ url });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(formPosting(url));
    expect(await statusOf(s.id)).toBe('pending');
    const done = await server.app.inject({ method: 'POST', url });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are subscribed');
    expect(await statusOf(s.id)).toBe('active');
    const again = await server.app.inject({ method: 'POST', url });
    expect(again.statusCode).toBe(200);
    const welcomes = transport.to('confirm-me@example.org');
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]?.subject).toContain('Welcome');
    expect(tokenIn(welcomes[0]?.text ?? '', 'preferences')).toBeTruthy();
  });

  it('refuses a confirm link older than 7 days', async () => {
    const s = await insertSubscriber(server, { email: 'late@example.org', status: 'pending' });
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const url = path(confirmLink(server.config, { id: s.id, tokenVersion: s.token_version }, eightDaysAgo));
    expect((await server.app.inject({ method: 'POST', url })).statusCode).toBe(404);
    expect(await statusOf(s.id)).toBe('pending');
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  it('unsubscribes on a form-encoded POST: 200, no redirect, no cookie', async () => {
    const s = await insertSubscriber(server, { email: 'form@example.org' });
    const res = await server.app.inject({
      method: 'POST',
      url: path(links(s).unsubscribe),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('You are unsubscribed');
    expect(await statusOf(s.id)).toBe('unsubscribed');
    expect(transport.to('form@example.org')).toHaveLength(0);
  });

  it('unsubscribes on a multipart POST', async () => {
    const s = await insertSubscriber(server, { email: 'multi@example.org' });
    const boundary = '----paperboy1234';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const res = await server.app.inject({
      method: 'POST',
      url: path(links(s).unsubscribe),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(await statusOf(s.id)).toBe('unsubscribed');
  });

  it('unsubscribes on a POST with no body or an unexpected type', async () => {
    const a = await insertSubscriber(server, { email: 'bare@example.org' });
    const b = await insertSubscriber(server, { email: 'odd@example.org' });
    expect((await server.app.inject({ method: 'POST', url: path(links(a).unsubscribe) })).statusCode).toBe(
      200,
    );
    const odd = await server.app.inject({
      method: 'POST',
      url: path(links(b).unsubscribe),
      headers: { 'content-type': 'application/octet-stream' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(odd.statusCode).toBe(200);
    expect(await statusOf(a.id)).toBe('unsubscribed');
    expect(await statusOf(b.id)).toBe('unsubscribed');
  });

  it('GET shows one button and does not unsubscribe', async () => {
    const s = await insertSubscriber(server, { email: 'scanner@example.org' });
    const url = path(links(s).unsubscribe);
    for (let i = 0; i < 3; i++) {
      const res = await server.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(formPosting(url));
      expect(res.body).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(res.body.match(/<button/g)).toHaveLength(1);
    }
    expect(await statusOf(s.id)).toBe('active');
  });

  it('offers an undo that subscribes again without another welcome', async () => {
    const s = await insertSubscriber(server, { email: 'oops@example.org' });
    const res = await server.app.inject({ method: 'POST', url: path(links(s).unsubscribe), payload: {} });
    const undo = /<form action="(\/confirm\/[^"]+)" method="post">/.exec(res.body)?.[1];
    expect(undo).toBeDefined();
    const back = await server.app.inject({ method: 'POST', url: undo as string });
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('Welcome back');
    expect(await statusOf(s.id)).toBe('active');
    expect(transport.to('oops@example.org')).toHaveLength(0);
  });
});

describe('feedback', () => {
  it('records more / less once per paper, the latest wins', async () => {
    const s = await insertSubscriber(server, { email: 'reader@example.org' });
    const more = path(links(s).feedback('2611.00001', 'more'));
    const less = path(links(s).feedback('2611.00001', 'less'));
    for (const url of [more, more]) {
      const res = await server.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Thank you');
    }
    const rows = () =>
      server.database.db.selectFrom('feedback').selectAll().where('subscriber_id', '=', s.id).execute();
    expect((await rows()).map((r) => r.value)).toEqual([1]);
    await server.app.inject({ url: less });
    expect((await rows()).map((r) => r.value)).toEqual([-1]);
    expect((await server.app.inject({ url: path(links(s).feedback('9999.99999', 'more')) })).statusCode).toBe(
      404,
    );
  });
});

describe('feedback links', () => {
  it('carry one token per subscriber; a changed choice, a paper token in the new form or a bad paper is refused', async () => {
    const s = await insertSubscriber(server, { email: 'one-token@example.org' });
    const a = links(s).feedback('2611.00001', 'more');
    const b = links(s).feedback('2611.00002', 'less');
    const token = path(a).split('/')[2]!;
    expect(path(b).split('/')[2]).toBe(token);
    const answer = async (url: string) => (await server.app.inject({ url })).statusCode;
    expect(await answer(path(a))).toBe(200);
    expect(await answer(`/feedback/${token}/2611.00001/maybe`)).toBe(404);
    expect(await answer(`/feedback/${token}/9999.99999/less`)).toBe(404);
    const secrets = server.config.signingSecrets;
    const claims = { purpose: 'feedback' as const, subscriberId: s.id, version: s.token_version };
    const perPaper = signToken(secrets, { ...claims, subject: '2611.00001:less' });
    expect(await answer(`/feedback/${perPaper}/2611.00001/less`)).toBe(404);
    // The per-paper form of earlier digests still works.
    expect(await answer(`/feedback/${perPaper}`)).toBe(200);
    const rows = await server.database.db
      .selectFrom('feedback')
      .select('value')
      .where('subscriber_id', '=', s.id)
      .execute();
    expect(rows).toEqual([{ value: -1 }]);
  });
});

describe('bad links', () => {
  it('answers tampered, foreign, wrong-purpose, expired, revoked and malformed tokens with one 404 page', async () => {
    const s = await insertSubscriber(server, { email: 'target@example.org' });
    const secrets = server.config.signingSecrets;
    const good = signToken(secrets, { purpose: 'preferences', subscriberId: s.id, version: s.token_version });
    const [payload, mac] = good.split('.') as [string, string];
    const tampered = `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BA' : 'AA'}`;
    const foreign = signToken(
      { current: 'someone-elses-secret-0123456789abcdef' },
      { purpose: 'preferences', subscriberId: s.id, version: s.token_version },
    );
    const wrongPurpose = signToken(secrets, {
      purpose: 'view',
      subscriberId: s.id,
      version: s.token_version,
      subject: '2026-11-27',
    });
    const expired = signToken(secrets, {
      purpose: 'preferences',
      subscriberId: s.id,
      version: s.token_version,
      expiresAt: 1_000_000,
    });
    const revoked = signToken(secrets, {
      purpose: 'preferences',
      subscriberId: s.id,
      version: s.token_version - 1,
    });
    const nobody = signToken(secrets, { purpose: 'preferences', subscriberId: '99999999', version: 1 });
    const huge = signToken(secrets, { purpose: 'preferences', subscriberId: '9'.repeat(40), version: 1 });
    const answers = new Set<string>();
    for (const token of [
      tampered,
      foreign,
      wrongPurpose,
      expired,
      revoked,
      nobody,
      huge,
      'x',
      'a.b.c',
      `${good}.x`,
      '%00',
    ]) {
      for (const url of [
        `/preferences/${token}`,
        `/confirm/${token}`,
        `/unsubscribe/${token}`,
        `/feedback/${token}`,
        `/feedback/${token}/2611.00001/more`,
      ]) {
        const res = await server.app.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-security-policy']).toBeDefined();
        answers.add(res.body);
      }
      const post = await server.app.inject({
        method: 'POST',
        url: `/unsubscribe/${token}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(post.statusCode).toBe(404);
      answers.add(post.body);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toContain('Page not found');
    expect(await statusOf(s.id)).toBe('active');
    expect((await server.app.inject({ url: `/preferences/${good}` })).statusCode).toBe(200);
  });

  it('resolveToken accepts the previous secret during a rotation', async () => {
    const s = await insertSubscriber(server, { email: 'rotation@example.org' });
    const old = signToken(
      { current: 'the-old-secret-0123456789abcdef-xyz' },
      { purpose: 'view', subscriberId: s.id, version: s.token_version, subject: '2026-11-27' },
    );
    const rotated = {
      current: 'the-new-secret-0123456789abcdef-xyz',
      previous: 'the-old-secret-0123456789abcdef-xyz',
    };
    expect((await resolveToken(server.database.db, rotated, old, 'view'))?.claims.subject).toBe('2026-11-27');
    expect(await resolveToken(server.database.db, { current: rotated.current }, old, 'view')).toBeUndefined();
  });
});
