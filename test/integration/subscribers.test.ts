import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bumpTokenVersion,
  createSubscriber,
  findSubscriberByEmail,
  getSubscriber,
  listSubscribers,
  setStatus,
  upsertSubscriberByEmail,
} from '../../src/subscribers/subscribers.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const run = promisify(execFile);
let t: TestDatabase;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-subscribers-'));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/paperboy.js', 'subscribers', ...args], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('subscribers repository', () => {
  it('creates, finds by address in any case, upserts without duplicating, pages by id', async () => {
    const a = await createSubscriber(t.db, { email: 'Repo@Example.org', preferences: { topics: ['rl'] } });
    expect(a).toMatchObject({ status: 'pending', tokenVersion: 1, source: 'operator' });
    expect(a.preferences).toMatchObject({ topics: ['rl'], maxPapers: 10, frequency: 'daily' });
    expect((await findSubscriberByEmail(t.db, 'repo@example.ORG'))?.id).toBe(a.id);
    const again = await upsertSubscriberByEmail(t.db, {
      email: 'REPO@example.org',
      status: 'active',
      preferences: { topics: ['speech'] },
    });
    expect(again).toMatchObject({ created: false, subscriber: { id: a.id, status: 'pending' } });
    expect(again.subscriber.preferences.topics).toEqual(['speech']);
    const b = await upsertSubscriberByEmail(t.db, { email: 'other@example.org', status: 'active' });
    expect(b.created).toBe(true);
    expect(b.subscriber.confirmedAt).toBeInstanceOf(Date);
    const first = await listSubscribers(t.db, { limit: 1 });
    const next = await listSubscribers(t.db, { limit: 1, after: first[0]?.id });
    expect([first[0]?.id, next[0]?.id]).toEqual([a.id, b.subscriber.id]);
    expect(await getSubscriber(t.db, 'not-a-number')).toBeUndefined();
  });

  it('sets the status with its timestamps and revokes links by bumping the token version', async () => {
    const s = await createSubscriber(t.db, { email: 'status@example.org' });
    const active = await setStatus(t.db, s.id, 'active');
    expect(active?.confirmedAt).toBeInstanceOf(Date);
    const gone = await setStatus(t.db, s.id, 'unsubscribed');
    expect(gone).toMatchObject({ status: 'unsubscribed' });
    expect(gone?.unsubscribedAt).toBeInstanceOf(Date);
    expect(await bumpTokenVersion(t.db, s.id)).toBe(2);
  });
});

describe('paperboy subscribers (CLI)', () => {
  it('adds an active subscriber and names the bad option', async () => {
    const ok = await cli(
      'add',
      'cli@example.org',
      '--topics',
      'multi-agent, reinforcement learning',
      '--max-papers',
      '5',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Added subscriber \d+ <cli@example.org> \(active\)/);
    const s = await findSubscriberByEmail(t.db, 'cli@example.org');
    expect(s?.preferences).toMatchObject({ topics: ['multi-agent', 'reinforcement learning'], maxPapers: 5 });
    const bad = await cli('add', 'x@example.org', '--max-papers', '80', '--timezone', 'Mars/Olympus');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-papers: must be between 1 and 50');
    expect(bad.stderr).toContain('--timezone: must be an IANA time zone');
    expect((await cli('add', 'not-an-email')).stderr).toContain('"not-an-email" is not an email address');
  }, 120_000);

  it('imports a CSV: bad rows reported by line and field, the rest imported; a re-import updates', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(
      file,
      [
        'email,topics,follow,max-papers,frequency,weekly-day',
        'ana@example.org,"diffusion; video generation",NVIDIA,5,weekly,5',
        'bad-address,speech,,3,daily,',
        'ben@example.org,,,99,daily,',
        'cleo@example.org,robotics,,,,',
      ].join('\n'),
    );
    const first = await cli('import', file);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`${file}:3: email: "bad-address" is not an email address`);
    expect(first.stderr).toContain(`${file}:4: max-papers: must be between 1 and 50`);
    expect(first.stdout).toContain('2 added, 0 updated, 2 row(s) skipped');
    const ana = await findSubscriberByEmail(t.db, 'ana@example.org');
    expect(ana).toMatchObject({ status: 'active', source: 'import' });
    expect(ana?.preferences).toMatchObject({
      topics: ['diffusion', 'video generation'],
      follow: ['NVIDIA'],
      maxPapers: 5,
      frequency: 'weekly',
      weeklyDay: 5,
    });

    writeFileSync(file, 'email,topics\nANA@example.org,speech recognition\nben@example.org,theory\n');
    const second = await cli('import', file);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 added, 1 updated, 0 row(s) skipped');
    const updated = await findSubscriberByEmail(t.db, 'ana@example.org');
    expect(updated?.preferences).toMatchObject({
      topics: ['speech recognition'],
      frequency: 'weekly',
      maxPapers: 5,
    });
    const rows = await t.db
      .selectFrom('subscribers')
      .select('email')
      .where('email', 'ilike', 'ana@example.org')
      .execute();
    expect(rows).toHaveLength(1);

    const list = await cli('list', '--status', 'active');
    expect(list.stdout).toMatch(/\d+\tana@example.org\tactive\tweekly\tspeech recognition/);
  }, 120_000);

  it('refuses a file with an unknown column before importing anything', async () => {
    const file = path.join(dir, 'typo.csv');
    writeFileSync(file, 'email,topcis\nzed@example.org,rl\n');
    const result = await cli('import', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 1: unknown column(s) "topcis"');
    expect(await findSubscriberByEmail(t.db, 'zed@example.org')).toBeUndefined();
  }, 120_000);
});
