import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewDigest } from '../../src/delivery/preview-digest.js';
import { runIngest, SAMPLE_FILE } from '../../src/papers/run-ingest.js';
import { createSubscriber } from '../../src/subscribers/subscribers.repository.js';
import { testConfig } from '../support/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const run = promisify(execFile);
const config = testConfig();
let t: TestDatabase;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-preview-'));

beforeAll(async () => {
  t = await createTestDatabase();
  await runIngest(t.db, config, { kind: 'file', path: SAMPLE_FILE });
  await createSubscriber(t.db, {
    email: 'ada@example.org',
    status: 'active',
    preferences: { topics: ['reinforcement learning', 'agents'], maxPapers: 3 },
  });
});
afterAll(async () => {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('previewDigest', () => {
  it("gives the subscriber's own digest with its headers and reasons", async () => {
    const preview = await previewDigest(
      { db: t.db, config },
      { email: 'ADA@example.org', date: '2026-11-26' },
    );
    if (preview.kind !== 'email') throw new Error(`expected an email, got ${preview.reason}`);
    expect(preview.papers).toHaveLength(3);
    expect(preview.papers[0]!.why).toMatch(/matches: .*(reinforcement learning|agents)/);
    expect(preview.email.to).toBe('ada@example.org');
    expect(preview.email.headers['List-Unsubscribe']).toMatch(
      /^<http:\/\/paperboy\.test\/unsubscribe\/[^>]+>, <mailto:/,
    );
    expect(preview.email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(preview.email.html).toContain(preview.papers[0]!.paper.id);
  });

  it('can try another template and plain text, and previews the default preferences', async () => {
    const classic = await previewDigest(
      { db: t.db, config },
      { email: 'ada@example.org', date: '2026-11-26' },
    );
    const modern = await previewDigest(
      { db: t.db, config },
      { email: 'ada@example.org', date: '2026-11-26', template: 'modern', format: 'text' },
    );
    if (classic.kind !== 'email' || modern.kind !== 'email') throw new Error('expected emails');
    expect(modern.preferences.template).toBe('modern');
    expect(modern.email.html).toBeUndefined();
    expect(modern.email.text).toContain(classic.papers[0]!.paper.title);
    const anyone = await previewDigest({ db: t.db, config }, { date: '2026-11-26' });
    if (anyone.kind !== 'email') throw new Error('expected an email');
    expect(anyone.papers).toHaveLength(10);
    expect(anyone.papers[0]!.paper.upvotes).toBeGreaterThanOrEqual(anyone.papers[9]!.paper.upvotes);
  });

  it('says why nothing would be sent on a quiet day, and names an unknown address', async () => {
    const quiet = await previewDigest({ db: t.db, config }, { email: 'ada@example.org', date: '2026-11-28' });
    expect(quiet).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/^quiet day: /) });
    await expect(
      previewDigest({ db: t.db, config }, { email: 'nobody@example.org', date: '2026-11-26' }),
    ).rejects.toThrow(/No subscriber with the address nobody@example\.org/);
  });
});

describe('paperboy preview', () => {
  it('writes a complete .eml with every header', async () => {
    const out = path.join(dir, 'ada.eml');
    const env = { ...process.env, DATABASE_URL: t.url, SIGNING_SECRET: 's'.repeat(32), LOG_LEVEL: 'silent' };
    const { stderr } = await run(
      process.execPath,
      [
        'bin/paperboy.js',
        'preview',
        '--email',
        'ada@example.org',
        '--date',
        '2026-11-26',
        '--format',
        'eml',
        '--out',
        out,
      ],
      { env },
    );
    expect(stderr).toMatch(/Wrote .*ada\.eml: ".+", 3 papers/);
    const eml = readFileSync(out, 'utf8');
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(eml).toMatch(/^To: ada@example\.org$/m);
    expect(eml).toMatch(/^Content-Type: multipart\/alternative/m);
    const bad = await run(process.execPath, ['bin/paperboy.js', 'preview', '--date', 'yesterday'], {
      env,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--date must look like 2026-11-26'),
    });
  }, 60_000);
});
